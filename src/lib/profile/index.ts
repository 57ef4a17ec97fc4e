export * from './types';
export { resolveProfile, hasCstaOverHttp, requireCstaOverHttp, type ProfileInput } from './profile';
export { parseFirmware, atLeast, compareFirmware } from './firmware';
export { FIRMWARE_LINES } from './lines';
export { KNOWN_MODELS, normaliseModel, lookupModel } from './models';
export { parseInfoPage, type PhoneFingerprint } from './detect';
export { parseSnomUserAgent, type SnomUserAgent } from './user-agent';
export { cstaTransport, requireUaCsta, uaCstaCaps, CSTA_TRANSPORT_CHOICES } from './csta-route';
export { requireSipNotify, sipNotifyRefusal, type SipNotifyRoute } from './sip';
