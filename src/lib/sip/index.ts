/** SIP channels to a phone: transport, transactions, dialogs, uaCSTA and the message builders. */
export { SipClient, DEFAULT_USER_AGENT, type SipClientOptions, type SendOptions, type SipClientStats } from './client';
export { SipDialog, type DialogEnd, type RequestHandler } from './dialog';
export {
  UaCstaSession,
  CONTENT_TYPE_CSTA,
  CSTA_DISPOSITION,
  UACSTA_INVITE_BODY,
  cstaRootName,
  isCstaResponseName,
  type UaCstaOptions,
  type UaCstaReply,
} from './uacsta';
export {
  buildMinibrowserNotify,
  buildTalkHoldNotify,
  buildButtonsMessage,
  buildCheckSyncNotify,
  BUTTON_LIGHTS,
  BUTTON_COLOURS,
  CONTENT_TYPE_SNOMXML,
  CONTENT_TYPE_BUTTONS,
  type MinibrowserNotifyOptions,
  type TalkHoldOptions,
  type TalkHoldEvent,
  type ButtonLamp,
  type ButtonLight,
  type ButtonColour,
  type ButtonsMessageOptions,
  type CheckSyncOptions,
} from './build';
export { SipHeaders, parseMessage, type SipMessage, type SipRequestMessage, type SipResponseMessage } from './message';
export { renderRequest, requestHeaders, type RequestFields } from './request';
export { checkSipUri, parseSipUri } from './syntax';
export type { SipCredentials } from './auth';
export type { SipTimers } from './transaction';
export type {
  SipResponse,
  SipIncomingRequest,
  SipReply,
  SipTarget,
  SipRequestSpec,
  ForeignDialog,
  SipTransportName,
  Remote,
} from './types';
export {
  UaCstaLink,
  monitorStatusView,
  monitorStatusText,
  type UaCstaEndpoint,
  type UaCstaLinkOptions,
  type MonitorSpec,
  type MonitorHandle,
  type MonitorStatus,
  type MonitorState,
} from './uacsta-link';
export {
  SIP_NOTIFY_KINDS,
  isSipNotifyKind,
  sipNotifyKind,
  buildSipNotify,
  parseButtonsText,
  buttonKeyList,
  prepareSettings,
  type SipNotifyKind,
  type SipNotifyParams,
  type PrepareInput,
} from './notify';
