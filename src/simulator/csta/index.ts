// POST /csta: CSTA over HTTP in the dialect of the phone's firmware (docs/protocol.md §8).
import type { ServerResponse } from 'node:http';
import type { SimPhone } from '../phone';
import { send, sendHtml } from '../http-util';
import { compareFirmware } from '../phone-models';
import { callModel } from '../calls';
import type { SimCstaRecord } from '../calls/types';
import { OPERATIONS, type OpContext } from './operations';
import { PROPRIETARY } from './proprietary';
import { CstaFault, faultBody, successBody, type ReplyStyle } from './reply';
import { CSTA_ED3, CSTA_ED4, CSTA_ED5, child, parseXml } from './xml';

export type CstaDialect = SimCstaRecord['dialect'];

/** Which CSTA the phone speaks: none before 7.3.4, broken 8.7.0-8.7.2, legacy before 8.7 or when asked (docs/protocol.md §8.2, §8.3). */
export function cstaDialect(phone: SimPhone): CstaDialect {
  const fw = phone.config.firmware;
  if (compareFirmware(fw, '7.3.4') < 0) return 'none';
  if (compareFirmware(fw, '8.7') < 0) return 'legacy';
  if (compareFirmware(fw, '8.7.3') < 0) return 'broken';
  return phone.settings.get('csta_legacy_control') === '0' ? 'legacy' : 'current';
}

/** What firmware 7.3.4 to before 8.7 knows (docs/protocol.md §8.2). */
// prettier-ignore
const LEGACY_OPS = [
  'MakeCall', 'AnswerCall', 'ClearConnection', 'ClearCall', 'HoldCall', 'RetrieveCall', 'TransferCall',
  'SingleStepTransferCall',
];
/** added in 8.7.3 (or earlier 8.7) */
const OPS_873 = [...LEGACY_OPS, 'RequestSystemStatus', 'SnapshotDevice', 'ConferenceCall', 'GenerateDigits'];
/** added in 8.7.4 */
// prettier-ignore
const OPS_874 = [
  'ConsultationCall', 'DeflectCall', 'GetDoNotDisturb', 'SetDoNotDisturb', 'GetForwarding', 'SetForwarding',
];

const isProprietary = (op: string): boolean => Object.prototype.hasOwnProperty.call(PROPRIETARY, op);

function available(op: string, dialect: 'legacy' | 'current', v874: boolean): boolean {
  if (isProprietary(op)) return true;
  if (dialect === 'legacy') return LEGACY_OPS.includes(op);
  return OPS_873.includes(op) || (v874 && OPS_874.includes(op));
}

/** Namespaces the phone takes for a request element; the proprietary messages have none documented. */
function namespaceOk(op: string, ns: string, dialect: 'legacy' | 'current'): boolean {
  if (isProprietary(op)) return true;
  if (dialect === 'legacy') return ns === CSTA_ED4;
  return ns === CSTA_ED5 || (op === 'RequestSystemStatus' && ns === CSTA_ED3);
}

export function installCsta(phone: SimPhone): void {
  const model = callModel(phone);
  phone.addRoute('POST', '/csta', (req, res) => {
    const dialect = cstaDialect(phone);
    const record = (r: Omit<SimCstaRecord, 'at' | 'dialect'>): void => {
      const rec: SimCstaRecord = { ...r, dialect, at: Date.now() };
      model.ext.csta.push(rec);
      phone.log('csta', { ...rec });
    };
    if (dialect === 'none') {
      record({ operation: '', soap: false, status: 404, fault: 'no CSTA before firmware 7.3.4' });
      return sendHtml(res, 404, 'snom VoIP phone: Error', 'Page /csta not found');
    }
    if (dialect === 'broken') {
      // Snom: "broken HTTP-CSTA until 8.7.3" (docs/protocol.md §8.2): an error page, not a CSTA answer (its form is ours, §11.6).
      record({ operation: '', soap: false, status: 500, fault: 'HTTP-CSTA is broken in 8.7.0-8.7.2' });
      return sendHtml(res, 500, 'snom VoIP phone: Error', 'Internal Server Error');
    }
    handle(phone, dialect, req.body, res, record);
  });
}

function handle(
  phone: SimPhone,
  dialect: 'legacy' | 'current',
  body: string,
  res: ServerResponse,
  record: (r: Omit<SimCstaRecord, 'at' | 'dialect'>) => void,
): void {
  const model = callModel(phone);
  const fw = phone.config.firmware;
  const v874 = compareFirmware(fw, '8.7.4') >= 0;
  let style: ReplyStyle = dialect === 'legacy' ? 'legacy' : 'bare';
  let soap = false;
  let operation = '';
  const reply = (status: number, text: string, fault?: string): void => {
    record(fault === undefined ? { operation, soap, status } : { operation, soap, status, fault });
    send(res, status, 'text/xml; charset=utf-8', text);
  };
  const refuse = (code: string): void => reply(500, faultBody(style, code), code);

  const root = parseXml(body);
  if (typeof root === 'string') return refuse('generic');
  let op = root;
  if (root.local === 'Envelope') {
    soap = true;
    if (dialect === 'current') style = 'soap';
    const first = child(root, 'Body')?.children[0];
    if (!first) return refuse('generic');
    op = first;
  }
  operation = op.local;
  // The envelope is required before 8.7; since 8.7.3 only for ClearCall and the proprietary messages.
  if (!soap && (dialect === 'legacy' || isProprietary(op.local) || op.local === 'ClearCall')) return refuse('generic');
  if (!available(op.local, dialect, v874)) return refuse('serviceNotSupported');
  if (!namespaceOk(op.local, op.ns, dialect)) return refuse('generic');

  const ctx: OpContext = { model, legacy: dialect === 'legacy', v874, v873: dialect === 'current' && !v874 };
  const handler = isProprietary(op.local) ? PROPRIETARY[op.local] : OPERATIONS[op.local];
  try {
    const children = handler(ctx, op);
    reply(200, successBody(style, op.local, children));
  } catch (err) {
    if (!(err instanceof CstaFault)) throw err;
    phone.log('csta-fault', { operation, code: err.code, why: err.message });
    refuse(err.code);
  }
}
