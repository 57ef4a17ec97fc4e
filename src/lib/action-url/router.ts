import type { IncomingMessage, ServerResponse } from 'node:http';
import { Allowlist, isAllowed, normalizeAddress } from './allowlist';
import { EventHoldBuffer } from './hold-buffer';
import { ActionEvent, ActionVariables, splitQuery, tryParseActionQuery } from './parse';
import { TokenMatcher } from './token';
import { normalizePath } from './url';

/** An event handed to an endpoint: checked, token removed. */
export interface DeliveredEvent {
  event: string;
  variables: ActionVariables;
  extra: Record<string, string>;
  /** `$sip_header(NAME)` values by header name, when asked for and filled */
  sipHeaders?: Record<string, string>;
  /** phone settings asked for as variables, by setting name */
  phoneVariables?: Record<string, string>;
  /** sender's address, IPv4-mapped prefix stripped */
  address: string;
  userAgent?: string;
  /** ms since epoch when the request arrived */
  receivedAt: number;
  /** true when it waited in the hold buffer during a redeploy */
  held: boolean;
}

export type RefusalReason = 'address' | 'token' | 'event';

/** What authenticates a path's requests; a path keeps its last endpoint's while none is deployed. */
export interface Guard {
  readonly token: string;
  readonly allowlist: Allowlist;
  /** event names to deliver; null = all */
  readonly events: ReadonlySet<string> | null;
  /** misconfigured (e.g. an invalid allowlist): authenticated requests get 503, never a silent 200 */
  readonly unavailable?: boolean;
}

/** One receiver of events for one path (a deployed node, or any other user of the library). */
export interface ActionEndpoint extends Guard {
  readonly path: string;
  /** how long after this endpoint goes away events for its path are held */
  readonly holdMs: number;
  /** how many events are held at most */
  readonly holdCount: number;
  deliver(ev: DeliveredEvent): void;
  /** called when the endpoint starts or stops sharing its path with another one */
  onDuplicate?(duplicate: boolean): void;
  /** events lost while no endpoint was there (full buffer or too old) */
  onDropped?(counts: { dropped: number; expired: number }): void;
  onRefused?(reason: RefusalReason): void;
  /** a valid event that is not in `events` */
  onIgnored?(event: string): void;
}

export interface RouterOptions {
  /** longest accepted request URL in bytes (414 beyond) */
  maxUrlBytes?: number;
  /** longest accepted POST body in bytes (413 beyond) */
  maxBodyBytes?: number;
  /** release held events right after an endpoint is added; Node-RED waits for flows:started instead */
  autoRelease?: boolean;
  now?: () => number;
}

interface Pending {
  parsed: ActionEvent;
  address: string;
  userAgent?: string;
  receivedAt: number;
}

interface Hold {
  closedAt: number;
  holdMs: number;
  buffer: EventHoldBuffer<Pending>;
  /** the credentials of the endpoint that left */
  guard: Guard;
}

type Next = (err?: unknown) => void;
type Req = IncomingMessage & { path?: string; originalUrl?: string; body?: unknown };

// the expected token's hash per guard, made on first use (endpoints and holds keep their guard object)
const matchers = new WeakMap<Guard, { token: string; matcher: TokenMatcher }>();
function tokenOk(guard: Guard, candidate: string | undefined): boolean {
  let m = matchers.get(guard);
  if (!m || m.token !== guard.token)
    matchers.set(guard, (m = { token: guard.token, matcher: new TokenMatcher(guard.token) }));
  return m.matcher.matches(candidate);
}

/** The one endpoint of a set, without copying it into an array per request. */
function onlyOf(set: Set<ActionEndpoint>): ActionEndpoint {
  return set.values().next().value as ActionEndpoint;
}

function guardOf(ep: Guard): Guard {
  return { token: ep.token, allowlist: ep.allowlist, events: ep.events, unavailable: ep.unavailable };
}

function answer(res: ServerResponse, status: number, headers?: Record<string, string>): void {
  if (res.headersSent) return;
  res.statusCode = status;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', '0');
  res.end();
}

/**
 * Dispatches Action URL requests to the endpoints registered for their path. One router is
 * mounted once (Connect/Express middleware or a plain http handler); endpoints come and go
 * with deploys. Every check before the answer is synchronous so that a flood of bad requests
 * costs little and never delays good ones.
 */
export class ActionUrlRouter {
  private readonly endpoints = new Map<string, Set<ActionEndpoint>>();
  private readonly holds = new Map<string, Hold>();
  private readonly maxUrlBytes: number;
  private readonly maxBodyBytes: number;
  private readonly autoRelease: boolean;
  private readonly now: () => number;

  constructor(opts: RouterOptions = {}) {
    this.maxUrlBytes = opts.maxUrlBytes ?? 8 * 1024;
    this.maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024;
    this.autoRelease = opts.autoRelease ?? true;
    this.now = opts.now ?? Date.now;
  }

  /** Connect/Express middleware: requests for other paths go to `next`. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next?: Next): void => {
    this.handle(req, res, next);
  };

  /** Register an endpoint; two on one path are both told they are duplicates. */
  add(ep: ActionEndpoint): void {
    const path = normalizePath(ep.path);
    let set = this.endpoints.get(path);
    if (!set) this.endpoints.set(path, (set = new Set()));
    set.add(ep);
    if (set.size === 2) for (const e of set) e.onDuplicate?.(true);
    else if (set.size > 2) ep.onDuplicate?.(true);
    if (this.autoRelease) setImmediate(() => this.releaseHeld(path));
  }

  /** Unregister; the path's events are then held for the endpoint's hold time. */
  remove(ep: ActionEndpoint): void {
    const path = normalizePath(ep.path);
    const set = this.endpoints.get(path);
    if (!set || !set.delete(ep)) return;
    if (set.size === 1) {
      for (const e of set) e.onDuplicate?.(false);
      if (this.autoRelease) setImmediate(() => this.releaseHeld(path));
    }
    if (set.size > 0) return;
    this.endpoints.delete(path);
    const old = this.holds.get(path);
    const buffer =
      old?.buffer ?? new EventHoldBuffer<Pending>({ maxCount: ep.holdCount, maxAgeMs: ep.holdMs, now: this.now });
    this.holds.set(path, { closedAt: this.now(), holdMs: ep.holdMs, buffer, guard: guardOf(ep) });
  }

  /**
   * Events delivered to `ep` that did not reach their receiver after all (a redeploy stopped it
   * first): held again, ahead of anything newer, for the next release on the path.
   */
  reclaim(ep: ActionEndpoint, events: readonly DeliveredEvent[]): void {
    if (events.length === 0) return;
    const path = normalizePath(ep.path);
    let hold = this.holds.get(path);
    if (!hold) {
      const buffer = new EventHoldBuffer<Pending>({ maxCount: ep.holdCount, maxAgeMs: ep.holdMs, now: this.now });
      hold = { closedAt: this.now(), holdMs: ep.holdMs, buffer, guard: guardOf(ep) };
      this.holds.set(path, hold);
    }
    hold.buffer.pushFront(
      events.map((ev) => {
        const parsed: ActionEvent = { event: ev.event, variables: ev.variables, extra: ev.extra };
        if (ev.sipHeaders) parsed.sipHeaders = ev.sipHeaders;
        if (ev.phoneVariables) parsed.phoneVariables = ev.phoneVariables;
        return { parsed, address: ev.address, userAgent: ev.userAgent, receivedAt: ev.receivedAt };
      }),
    );
  }

  /** Paths with exactly this many endpoints (for tests and diagnostics). */
  endpointCount(path: string): number {
    return this.endpoints.get(normalizePath(path))?.size ?? 0;
  }

  /** Number of events waiting for a path. */
  heldCount(path: string): number {
    return this.holds.get(normalizePath(path))?.buffer.size ?? 0;
  }

  /**
   * Deliver held events to the path's endpoint, checked against it, and report losses.
   * Without a path: every path that has exactly one endpoint again.
   */
  releaseHeld(path?: string): void {
    const paths = path === undefined ? [...this.holds.keys()] : [normalizePath(path)];
    for (const p of paths) {
      const hold = this.holds.get(p);
      const set = this.endpoints.get(p);
      if (!hold || !set || set.size !== 1) continue;
      const ep = onlyOf(set);
      const items = hold.buffer.drain();
      const counts = hold.buffer.takeCounts();
      this.holds.delete(p);
      if (counts.dropped || counts.expired) ep.onDropped?.(counts);
      for (const it of items) this.accept(ep, it, true);
    }
  }

  /** Handle one request; calls `next` (or answers 404) when no endpoint is there for its path. */
  handle(req: Req, res: ServerResponse, next?: Next): void {
    let path: string;
    try {
      path = normalizePath(req.path ?? new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return this.pass(res, next);
    }
    const set = this.endpoints.get(path);
    this.releaseOverdue(path, set);
    const hold = this.openHold(path, set);
    if (!set && !hold) return this.pass(res, next);

    if (req.method !== 'GET' && req.method !== 'POST') return answer(res, 405, { Allow: 'GET, POST' });
    const url = req.originalUrl ?? req.url ?? '';
    if (Buffer.byteLength(url) > this.maxUrlBytes) return answer(res, 414);
    if (set && set.size > 1) return answer(res, 503); // misconfigured: nobody may receive
    const address = normalizeAddress(req.socket?.remoteAddress ?? '');
    if (!this.addressOk(set, hold, address)) return answer(res, 403);
    const q = url.indexOf('?');
    const pairs = q < 0 ? [] : splitQuery(url.slice(q + 1));
    const ua = req.headers['user-agent'];
    if (req.method === 'GET') return this.finish(path, pairs, address, ua, res);
    this.readBody(req, res, (body) => this.finish(path, pairs.concat(body), address, ua, res));
  }

  private pass(res: ServerResponse, next?: Next): void {
    if (next) next();
    else answer(res, 404);
  }

  /**
   * A safety net for a release that never came (no flows:started after a stop): events held while
   * the endpoint runs are released once half the hold time is over, while still young enough.
   */
  private releaseOverdue(path: string, set: Set<ActionEndpoint> | undefined): void {
    const hold = this.holds.get(path);
    if (set?.size === 1 && hold && hold.buffer.size > 0 && this.now() - hold.closedAt > hold.holdMs / 2)
      this.releaseHeld(path);
  }

  /** The path's hold, while it is open: no endpoint within the hold time, or events still waiting. */
  private openHold(path: string, set: Set<ActionEndpoint> | undefined): Hold | undefined {
    const hold = this.holds.get(path);
    if (!hold) return undefined;
    if (set) return hold.buffer.size > 0 ? hold : undefined;
    return this.now() - hold.closedAt <= hold.holdMs ? hold : undefined;
  }

  /** The allowlist of the running endpoint, or the one remembered while none is there. */
  private addressOk(set: Set<ActionEndpoint> | undefined, hold: Hold | undefined, address: string): boolean {
    const ep = set && set.size === 1 ? onlyOf(set) : undefined;
    const guard: Guard | undefined = ep ?? hold?.guard;
    if (!guard || isAllowed(guard.allowlist, address)) return true;
    ep?.onRefused?.('address');
    return false;
  }

  /**
   * Authenticates and answers; an event answered 200 is, in the same turn, either handed to the
   * running endpoint or held for the next one, so that no redeploy can fall in between.
   */
  private finish(
    path: string,
    pairs: Array<[string, string]>,
    address: string,
    userAgent: string | undefined,
    res: ServerResponse,
  ): void {
    // looked up again: a POST body can arrive after a redeploy
    const set = this.endpoints.get(path);
    const hold = this.openHold(path, set);
    if (!set && !hold) return answer(res, 404);
    if (set && set.size > 1) return answer(res, 503);
    if (!this.addressOk(set, hold, address)) return answer(res, 403);
    const ep = set ? onlyOf(set) : undefined;
    // while the path has no endpoint, the last one's token still decides: nothing unauthenticated is held
    const guard: Guard = ep ?? hold!.guard;
    const parsed = tryParseActionQuery(pairs);
    if (!tokenOk(guard, parsed.token)) {
      ep?.onRefused?.('token');
      return answer(res, 403);
    }
    if (!parsed.value) {
      ep?.onRefused?.('event');
      return answer(res, 400);
    }
    if (guard.unavailable) return answer(res, 503);
    const pending: Pending = { parsed: parsed.value, address, userAgent, receivedAt: this.now() };
    if (hold) {
      // while away, the remembered selection applies: unselected events are answered, not held
      if (!ep && guard.events && !guard.events.has(pending.parsed.event)) return answer(res, 200);
      // held events go first: while some wait, newer ones queue behind them to keep the order
      if (!hold.buffer.push(pending, ep !== undefined)) return answer(res, 503);
      return answer(res, 200);
    }
    answer(res, 200);
    this.accept(ep!, pending, false);
  }

  /** Delivery to an endpoint; events were authenticated when they arrived. */
  private accept(ep: ActionEndpoint, it: Pending, held: boolean): void {
    if (ep.events && !ep.events.has(it.parsed.event)) return ep.onIgnored?.(it.parsed.event);
    const ev: DeliveredEvent = {
      event: it.parsed.event,
      variables: it.parsed.variables,
      extra: it.parsed.extra,
      address: it.address,
      receivedAt: it.receivedAt,
      held,
    };
    if (it.parsed.sipHeaders) ev.sipHeaders = it.parsed.sipHeaders;
    if (it.parsed.phoneVariables) ev.phoneVariables = it.parsed.phoneVariables;
    if (it.userAgent) ev.userAgent = it.userAgent;
    ep.deliver(ev);
  }

  private readBody(req: Req, res: ServerResponse, done: (pairs: Array<[string, string]>) => void): void {
    const type = String(req.headers['content-type'] ?? '');
    const toPairs = (text: string): Array<[string, string]> =>
      type.includes('application/x-www-form-urlencoded') ? [...new URLSearchParams(text)] : splitQuery(text.trim());
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBodyBytes) return answer(res, 413, { Connection: 'close' });
    // A body parser earlier in the chain may have read it already (Node-RED's admin app does, on the
    // default roots): the limit holds all the same, measured on what it parsed.
    if (req.readableEnded) {
      if (parsedSize(req.body) > this.maxBodyBytes) return answer(res, 413, { Connection: 'close' });
      if (typeof req.body === 'string') return done(toPairs(req.body));
      if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
        return done(
          Object.entries(req.body as Record<string, unknown>).filter(
            (e): e is [string, string] => typeof e[1] === 'string',
          ),
        );
      }
      return done([]);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > this.maxBodyBytes) {
        over = true;
        chunks.length = 0;
        answer(res, 413, { Connection: 'close' });
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) done(toPairs(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', () => answer(res, 400, { Connection: 'close' }));
  }
}

/** Size of a body some earlier middleware parsed: at least the bytes its content needs. */
function parsedSize(body: unknown): number {
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  try {
    return Buffer.byteLength(JSON.stringify(body) ?? '');
  } catch {
    return Infinity;
  }
}
