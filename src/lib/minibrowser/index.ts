/** Minibrowser documents: validation, building from plain objects, the push request path. */
export * from './types';
export { validateMinibrowserXml, MINIBROWSER_ROOTS } from './validate';
export { buildMinibrowserXml } from './build';
export { minibrowserPushPath } from './push';
export { escapeXml } from '../csta/xml';
