// Public entry of the simulator (tests, `npm start`, the CLI).
export { SimPhone } from './phone';
export { startSimPhones, stopAll } from './cluster';
export { extensions } from './extensions';
export { simCertificate } from './certificate';
export { sendJson, sendHtml, send } from './http-util';
export { modelInfo, normaliseModel, compareFirmware, checkKey } from './phone-models';
export { userAgent, fetchDocument } from './pages/minibrowser';
export { recordCommand } from './pages/record';
export { stateSnapshot } from './control';
export type * from './types';
