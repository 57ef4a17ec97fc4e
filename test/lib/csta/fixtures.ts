/**
 * Fixtures copied from Snom's pages: the remote-control page (docs/protocol.md §8.6, §8.7, §9),
 * with its empty xmlns="" as in our copy (§9.1), and "CSTA over HTTP - Requests" (§8.3–§8.6).
 * Do not tidy them: the point is to parse exactly what was published.
 */

/** Snom's page: the three success forms of an AnswerCall reply (docs/protocol.md §8.6). */
export const SEED_SUCCESS = [
  '<?xml version="1.0" encoding="utf-8"?> <SOAP-ENV:Envelope xmlns:SOAP-ENV=""> <SOAP-ENV:Header/> <SOAP-ENV:Body> <csta:AnswerCallResponse xmlns:csta=""/> </SOAP-ENV:Body> </SOAP-ENV:Envelope>',
  '<?xml version="1.0" encoding="utf-8"?> <AnswerCallResponse xmlns:csta=""/>',
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:AnswerCallResponse></csta:AnswerCallResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>',
];

/** Snom's page: SOAP fault with CSTAErrorCode/operation (docs/protocol.md §8.7). */
export const SEED_FAULT_SOAP =
  '<?xml version="1.0" encoding="utf-8"?> <SOAP-ENV:Envelope xmlns:SOAP-ENV=""> <SOAP-ENV:Header/> <SOAP-ENV:Body> <SOAP-ENV:Fault> <SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode> <SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring> <SOAP-ENV:detail> <csta:CSTAErrorCode xmlns:csta=""> <csta:operation>invalidCallID</csta:operation> </csta:CSTAErrorCode> </SOAP-ENV:detail> </SOAP-ENV:Fault> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's page: bare fault (docs/protocol.md §8.7); its closing tag does not match, so it is not well-formed XML. */
export const SEED_FAULT_BARE =
  '<?xml version="1.0" encoding="utf-8"?> <CSTAErrorCode xmlns:csta=""> <operation>invalidCallID</csta:operation> </CSTAErrorCode>';

/** Snom's page: SOAP fault with the "Invalid CallID" wording (docs/protocol.md §8.7). */
export const SEED_FAULT_TEXT =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <SOAP-ENV:Fault> <SOAP-ENV:faultcode>Client</SOAP-ENV:faultcode> <SOAP-ENV:faultstring>CSTA Error</SOAP-ENV:faultstring> <SOAP-ENV:detail> <csta:CSTAErrorCode xmlns:csta=""> <csta:operation>Invalid CallID</csta:operation> </csta:CSTAErrorCode> </SOAP-ENV:detail> </SOAP-ENV:Fault> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's page: GetSettings reply (docs/protocol.md §9.2), verbatim (placeholders, padding spaces and the "..." text included). */
export const SEED_GET_SETTINGS_RESPONSE =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:GetSettingsResponse> <csta:Setting> <csta:name> Name of the Setting </csta:name> <csta:value> Value of the setting </csta:value> </csta:Setting> <csta:Setting> <csta:name> Name of the Setting </csta:name> <csta:value> Value of the setting </csta:value> </csta:Setting> ... All settings in the above list. </csta:GetSettingsResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's GetSettings reply shape filled with real settings. */
export const GET_SETTINGS_RESPONSE_FILLED =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:GetSettingsResponse> <csta:Setting> <csta:name> mac </csta:name> <csta:value> 000413123456 </csta:value> </csta:Setting> <csta:Setting> <csta:name> action_incoming_url </csta:name> <csta:value> http://srv/in?remote=$remote&amp;id=$csta_id </csta:value> </csta:Setting> <csta:Setting> <csta:name>user_realname1</csta:name> <csta:value></csta:value> </csta:Setting> </csta:GetSettingsResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's page: replies to the other proprietary messages (docs/protocol.md §9.2–§9.4). */
export const SEED_SET_SETTINGS_RESPONSE =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:SetSettingsResponse> </csta:SetSettingsResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';
export const SEED_XML_PUSH_RESPONSE =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:XmlPushResponse> </csta:XmlPushResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';
export const SEED_FIRE_TEST_RESPONSE =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:FireTestResponse> </csta:FireTestResponse> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's page: request templates (docs/protocol.md §9.1; namespaces empty as in our copy, filled in where used). */
export const SEED_GET_SETTINGS =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:GetSettings> </csta:GetSettings> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';
export const SEED_FIRE_TEST =
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="" xmlns:csta=""> <SOAP-ENV:Body> <csta:FireTest> </csta:FireTest> </SOAP-ENV:Body> </SOAP-ENV:Envelope>';

/** Snom's published CSTA-over-HTTP requests (docs/protocol.md §8.3–§8.5). */
export const REF_REQUEST_SYSTEM_STATUS = `<?xml version="1.0" encoding="UTF-8"?>
<RequestSystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;

export const REF_MAKE_CALL = `<?xml version="1.0" encoding="UTF-8"?><MakeCall xmlns='http://www.ecma-international.org/standards/ecma-323/csta/ed5' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>
<callingDevice>sip:455455@ser.intern.snom.de</callingDevice>
<calledDirectoryNumber>455360</calledDirectoryNumber>
<autoOriginate>doNotPrompt</autoOriginate>
</MakeCall>`;

export const REF_SNAPSHOT_DEVICE = `<?xml version="1.0" encoding="UTF-8"?><SnapshotDevice xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><snapshotObject>455455@ser.intern.snom.de</snapshotObject></SnapshotDevice>`;

export const REF_LEGACY_ANSWER_CALL = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:csta="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
 <SOAP-ENV:Body><csta:AnswerCall><csta:callToBeAnswered>-18</csta:callToBeAnswered></csta:AnswerCall></SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;

/** Snom's published CSTA-over-HTTP replies (docs/protocol.md §8.6). */
export const REF_REQUEST_SYSTEM_STATUS_RESPONSE =
  '<?xml version="1.0" encoding="utf-8"?><RequestSystemStatusResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>';

export const REF_MAKE_CALL_RESPONSE = `<?xml version="1.0" encoding="utf-8"?>
<MakeCallResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5">
<callingDevice><callID>2</callID><deviceID>sip:455455@ser.intern.snom.de</deviceID></callingDevice>
</MakeCallResponse>`;

export const REF_SNAPSHOT_DEVICE_RESPONSE = `<?xml version="1.0" encoding="utf-8"?>
<SnapshotDeviceResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5">
<crossRefIDorSnapshotData><snapshotData><snapshotDeviceResponseInfo>
<connectionIdentifier><callID>-12</callID><deviceID>sip:455455@ser.intern.snom.de</deviceID></connectionIdentifier>
<localCallState><compoundCallState><localConnectionState>alerting</localConnectionState></compoundCallState></localCallState>
</snapshotDeviceResponseInfo></snapshotData></crossRefIDorSnapshotData>
</SnapshotDeviceResponse>`;

/** Whitespace between tags does not matter to the phone; compare without it. */
export function squeeze(xml: string): string {
  return xml.replace(/>\s+</g, '><').trim();
}
