// The protocol library, usable without Node-RED.
export * from './errors';
export * from './http';
export * from './profile';
export * from './commands';
export * from './csta';
export * from './settings';
export * from './minibrowser';
export * from './action-url';
export * from './fleet';
export * from './sip';
export { SnomPhone, type SnomPhoneOptions, type RunResult } from './phone';
export { detectPhone, readPhoneInfo, type PhoneInfo } from './detect';
export { diagnose, type Diagnosis, type DiagnoseOptions, type Finding, type FindingId } from './diagnose';
