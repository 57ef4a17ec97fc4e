/**
 * uaCSTA monitoring requests (docs/protocol.md §10.7): MonitorStart on a device, MonitorStop by
 * its monitorCrossRefID (8.7.4+). Written in Snom's published form: bare ed5, root attributes in
 * single quotes as in the MonitorStart example. Pure: no I/O.
 */
import { inputError, quoteInput, unsupportedError } from '../errors';
import type { CstaCaps } from '../profile/types';
import { CSTA_ED5, XSI_NS } from './build';
import { checkDevice } from './params';
import type { CstaResult, DeviceRef } from './types';
import { escapeXml, XML_DECLARATION } from './xml';

const ROOT_ATTRS = ` xmlns='${CSTA_ED5}' xmlns:xsi='${XSI_NS}'`;

/** MonitorStart on `device` (a SIP URI, user@host, or from 8.7.4 an identity index). */
export function buildMonitorStart(device: DeviceRef | undefined, caps: CstaCaps): string {
  const dev = checkDevice('deviceId', device, caps.identityIndex);
  return `${XML_DECLARATION}\n<MonitorStart${ROOT_ATTRS}><monitorObject><deviceObject>${escapeXml(dev)}</deviceObject></monitorObject></MonitorStart>`;
}

/** MonitorStop for a monitorCrossRefID; firmware before 8.7.4 has none (§10.7). */
export function buildMonitorStop(crossRefId: string, caps: CstaCaps): string {
  if (!caps.extendedOps)
    throw unsupportedError('CSTA MonitorStop needs firmware 8.7.4 or later.').withText('csta.monitorStop');
  if (typeof crossRefId !== 'string' || !/^[\w.-]{1,64}$/.test(crossRefId))
    throw inputError(`${quoteInput(crossRefId, 40)} is not a monitorCrossRefID.`, {
      field: 'monitorCrossRefID',
    }).withText('csta.crossRef', { value: quoteInput(crossRefId, 40) });
  return `${XML_DECLARATION}\n<MonitorStop${ROOT_ATTRS}><monitorCrossRefID>${escapeXml(crossRefId)}</monitorCrossRefID></MonitorStop>`;
}

/** The monitorCrossRefID of a parsed MonitorStartResponse, or undefined when it has none. */
export function monitorCrossRefId(result: CstaResult): string | undefined {
  const v = Object.hasOwn(result.data, 'monitorCrossRefID') ? result.data.monitorCrossRefID : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

/** The keep-alive field of snom-csta-events: seconds 0.1–3600 (empty: 30), as ms; E_INPUT otherwise. */
export function keepAliveMsFrom(seconds: unknown): number {
  if (seconds === undefined || seconds === null || seconds === '') return 30000;
  const n = typeof seconds === 'number' ? seconds : typeof seconds === 'string' ? Number(seconds.trim()) : NaN;
  if (!Number.isFinite(n) || n < 0.1 || n > 3600)
    throw inputError('The keep-alive must be 0.1 to 3600 seconds.', { field: 'keepAlive' }).withText('csta.keepAlive');
  return Math.round(n * 1000);
}
