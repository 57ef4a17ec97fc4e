/**
 * The published SIP examples (docs/protocol.md §10.3 minibrowser NOTIFY, §10.5 x-buttons), written out
 * literally: data from the documents, shared by the client's tests and the simulator's.
 */
/** Snom's example NOTIFY (docs/protocol.md §10.3), as printed: its Content-Length (186) is larger than its body (167 bytes, 8-space indent). */
export const NOTIFY_EXAMPLE = [
  'NOTIFY sip:500@192.168.88.8 SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.88.8:5060;branch=z9hG4bK001b84f6;rport',
  'From: sip:info@192.168.89.193',
  'To: sip:500@domain',
  'Contact: <sip:500@sender:7089>',
  'CSeq: 10 NOTIFY',
  'Call-ID: 1234@192.168.91.254',
  'Content-Type: application/snomxml',
  'Content-Length: 186',
  '',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<IPPhoneSilent document_id="click_to_dial">',
  '        <fetch mil="10">phone://mb_exit#numberdial=12345</fetch>',
  '</IPPhoneSilent>',
].join('\r\n');

export const NOTIFY_EXAMPLE_BODY = NOTIFY_EXAMPLE.slice(NOTIFY_EXAMPLE.indexOf('\r\n\r\n') + 4);

/** The x-buttons MESSAGE example (docs/protocol.md §10.5; its "..." stands for the usual headers; PHONE=192.168.1.50). */
export const BUTTONS_EXAMPLE = [
  'MESSAGE sip:101@192.168.1.50;transport=udp SIP/2.0',
  'Subject: buttons',
  'Content-Type: application/x-buttons',
  'Content-Length: 10',
  '',
  'k=6',
  'c=on',
].join('\r\n');
