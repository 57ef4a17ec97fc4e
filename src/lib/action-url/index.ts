/** Action URLs: phone → Node-RED events (event table, URL building, parsing, receiving). */
export * from './events';
export * from './variables';
export * from './extra-variables';
export * from './url';
export * from './parse';
export * from './token';
export * from './allowlist';
export * from './hold-buffer';
export * from './in-flight';
export * from './message';
export * from './router';
export * from './status-throttle';
export * from './provision';
export * from './redact';
