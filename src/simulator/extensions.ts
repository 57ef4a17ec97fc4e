import type { SimPhone } from './phone';
import { installCalls } from './calls';
import { installCsta } from './csta';
import { installSip } from './sip';

/**
 * Extension point: each function runs once in the SimPhone constructor, after the built-in
 * pages are registered, so it can add or override routes (e.g. POST /csta) and listen to events.
 */
export const extensions: Array<(phone: SimPhone) => void> = [
  // the call model first: CSTA drives the same calls
  installCalls,
  installCsta,
  installSip,
];
