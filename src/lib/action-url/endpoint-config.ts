/** A receiving endpoint's form (a snom-action-url-in node's fields), checked: what it listens for and holds. */
import { SnomError } from '../errors';
import { nonNegative } from '../util';
import { parseAllowlist, type Allowlist } from './allowlist';
import { eventSelection } from './events';
import { parseExtraVariables } from './extra-variables';
import { normalizePath } from './url';

export const DEFAULT_EVENTS_PATH = '/snom/events';

export interface EndpointForm {
  path?: string;
  allowlist?: string;
  /** extra phone variables for provisioned URLs: "$sip_header(X-Foo), user_uid[1]" */
  variables?: string;
  events?: unknown;
  holdMs?: unknown;
  holdCount?: unknown;
}

export interface EndpointConfig {
  path: string;
  allowlist: Allowlist;
  /** null = every event */
  events: Set<string> | null;
  holdMs: number;
  holdCount: number;
  /** an invalid allowlist or variable list: a deploy-time error, and the path answers 503 (after the token check) */
  problem?: string;
  /** the problem as thrown, to be said in the runtime's language (not enumerable) */
  readonly problemError?: SnomError;
}

/** Throws E_INPUT for a path nothing can listen on; other errors of the form become `problem`. */
export function endpointConfig(form: EndpointForm): EndpointConfig {
  const path = normalizePath(form.path || DEFAULT_EVENTS_PATH);
  let problem: string | undefined;
  let problemError: SnomError | undefined;
  let allowlist = parseAllowlist('');
  try {
    allowlist = parseAllowlist(form.allowlist);
    parseExtraVariables(form.variables);
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
    if (e instanceof SnomError) problemError = e;
  }
  const out: EndpointConfig = {
    path,
    allowlist,
    events: eventSelection(form.events),
    // 0 is allowed: hold nothing
    holdMs: nonNegative(form.holdMs, 10000),
    holdCount: Math.floor(nonNegative(form.holdCount, 200)),
    ...(problem === undefined ? {} : { problem }),
  };
  if (problemError) Object.defineProperty(out, 'problemError', { value: problemError });
  return out;
}
