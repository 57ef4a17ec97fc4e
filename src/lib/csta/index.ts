/** CSTA over HTTP: request builders per dialect and the reply/fault parser. */
export * from './types';
export { buildCstaRequest, buildRawCsta, SOAP_NS, CSTA_ED3, CSTA_ED4, CSTA_ED5, XSI_NS } from './build';
export { parseCstaResponse } from './parse';
export { findCstaFault, normaliseCstaError, type CstaFault } from './fault';
export { escapeXml } from './xml';
export { buildMonitorStart, buildMonitorStop, monitorCrossRefId, keepAliveMsFrom } from './monitor';
export {
  parseCstaEvent,
  shortEventName,
  cstaEventMessage,
  type CstaEvent,
  type CstaEventMessage,
  type CstaEventSource,
} from './events';
export { cstaSipPlan, type CstaSender } from './sip-plan';
