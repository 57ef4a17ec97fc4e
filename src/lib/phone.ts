import { inputError, quoteInput, SnomError } from './errors';
import { endpointHost, endpointKey, Fleet, parseEndpoint, type Endpoint } from './fleet';
import { PhoneClient } from './http/client';
import { Slots, type Slot } from './http/queue';
import type { AuthScheme, PhoneClientOptions, PhoneRequest, PhoneResponse } from './http/types';
import { parseInfoPage } from './profile/detect';
import { resolveProfile } from './profile/profile';
import type { Profile } from './profile/types';
import { positiveInt } from './util';

/** A msg.target phone's client is closed after this long without use. */
export const DEFAULT_TARGET_IDLE_MS = 60_000;
/** At most this many msg.target clients live at once per configured phone (idle ones make room). */
export const DEFAULT_MAX_TARGET_CLIENTS = 4096;
/** Phones (aliases counted once) one message may name in msg.target, unless `maxTargets` says otherwise. */
export const DEFAULT_MAX_TARGETS = 2000;
/**
 * Phones of one configured phone (its msg.target phones and itself) sent to at once, unless
 * `phonesAtOnce` says otherwise: 1,000 phones in one wave, so one command to them takes about as
 * long as to one phone; each phone still gets one request at a time.
 */
export const DEFAULT_PHONES_AT_ONCE = 1000;
/** A msg.target phone keeps no fleet of its own: the configured phone's fleet decides. */
const NO_FLEET = Fleet.parse(undefined);

export interface SnomPhoneOptions extends PhoneClientOptions {
  /** model name, or "" / "detect" */
  model?: string;
  /** firmware version, or "" / "detect" */
  firmware?: string;
  /** phone runs with csta_legacy_control=0 */
  legacyCsta?: boolean;
  /** the other phones that may use these credentials (msg.target); empty by default */
  fleet?: Fleet | string | string[];
  /** a msg.target client unused this long is closed (default 60 s) */
  targetIdleMs?: number;
  /** msg.target clients alive at once (default 4096); beyond that, and none idle: E_BUSY */
  maxTargetClients?: number;
  /** distinct phones one msg.target may name (default 2000); more: E_INPUT, nothing sent */
  maxTargets?: number;
  /** phones sent to at once, this one and its msg.target phones together (default 1000) */
  phonesAtOnce?: number;
}

export interface RunOptions {
  /** the command's whole life, queue wait included; default: the phone's timeout */
  timeoutMs?: number;
  /** when the command was accepted (performance.now()): the deadline counts from there */
  acceptedAt?: number;
}

export interface RunResult {
  /** the last request's response */
  response: PhoneResponse;
  responses: PhoneResponse[];
  durationMs: number;
}

/** A phone from msg.target, held until release(): a held phone is never closed as idle. */
export interface TargetLease {
  readonly phone: SnomPhone;
  release(): void;
}

function needsDetection(o: SnomPhoneOptions): boolean {
  const d = (v?: string) => !v || v.trim() === '' || v.trim().toLowerCase() === 'detect';
  return d(o.model) || d(o.firmware);
}

/** The configured host's identity; a host the fleet grammar does not cover keys on its URL form. */
function originEndpoint(origin: string): Endpoint {
  const u = new URL(origin);
  try {
    return parseEndpoint(u.port ? `${u.hostname}:${u.port}` : u.hostname, 'host');
  } catch {
    return { host: u.hostname.toLowerCase(), kind: 'name', ...(u.port ? { port: Number(u.port) } : {}) };
  }
}

/**
 * One phone: its client, its profile (static or read from /info.htm once), and the order of
 * whole commands. A command of several requests (attended transfer) never interleaves with
 * another, because commands, not single requests, take turns here. The configured phone also
 * keeps the msg.target phones of its fleet: one SnomPhone (one client, one queue) per phone,
 * whatever alias names it.
 */
export class SnomPhone {
  readonly options: SnomPhoneOptions;
  readonly client: PhoneClient;
  readonly fleet: Fleet;
  /** canonical host:port: aliases of one phone share it */
  readonly key: string;
  private readonly defaultPort: number;
  private parent: SnomPhone | undefined;
  private profilePromise?: Promise<Profile>;
  private detected?: Profile;
  /** model and firmware are configured: nothing to detect (one profile for this phone and its msg.target phones) */
  private readonly profileFixed: boolean;
  private tail: Promise<void> = Promise.resolve();
  /** commands queued or running */
  private waiting = 0;
  /** leases held on this (msg.target) phone */
  private holds = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** msg.target phones by key, least recently used first (made on first use: msg.target phones keep none) */
  private siblingMap: Map<string, SnomPhone> | undefined;
  private learning?: Promise<AuthScheme>;
  private closed = false;
  /** the configured phone's bound on phones at once (made on first use; msg.target phones use their parent's) */
  private ownSlots?: Slots;
  /** the place this phone holds in that bound while a turn runs */
  private slot: Slot | undefined;

  /** `key`: a msg.target phone's canonical key, as its configured phone looked it up (not parsed again) */
  constructor(options: SnomPhoneOptions, profile?: Profile, key?: string) {
    this.options = options;
    this.profileFixed = !needsDetection(options);
    this.client = new PhoneClient(options);
    this.fleet = options.fleet instanceof Fleet ? options.fleet : Fleet.parse(options.fleet);
    this.defaultPort = this.client.origin.startsWith('https:') ? 443 : 80;
    this.key = key ?? endpointKey(originEndpoint(this.client.origin), this.defaultPort);
    if (profile) this.detected = profile;
  }

  get label(): string {
    return this.client.label;
  }

  /** The bound on phones sent to at once, shared by the configured phone and its msg.target phones. */
  get slots(): Slots {
    if (this.parent) return this.parent.slots;
    this.ownSlots ??= new Slots(positiveInt(this.options.phonesAtOnce, DEFAULT_PHONES_AT_ONCE));
    return this.ownSlots;
  }

  /** msg.target clients alive now. */
  get targetClients(): number {
    return this.siblingMap?.size ?? 0;
  }

  private get siblings(): Map<string, SnomPhone> {
    return (this.siblingMap ??= new Map());
  }

  /** The profile the nodes check before sending. Detection failures fall back to permissive rules. */
  profile(): Promise<Profile> {
    if (this.detected) return Promise.resolve(this.detected);
    if (this.profileFixed) return Promise.resolve(this.profileNow());
    this.profilePromise ??= this.detect().finally(() => {
      this.profilePromise = undefined;
    });
    return this.profilePromise;
  }

  /** The profile of a phone whose model and firmware are configured (nothing to detect). */
  private profileNow(): Profile {
    return (this.detected ??= resolveProfile(this.options));
  }

  private async detect(): Promise<Profile> {
    const o = this.options;
    try {
      // a turn like any command: it never runs inside another command's requests
      const { response: res } = await this.run([{ command: 'detect model', path: '/info.htm' }]);
      const fp = parseInfoPage(res.body, res.headers);
      const profile = resolveProfile({
        model: o.model && o.model.toLowerCase() !== 'detect' ? o.model : fp.model,
        firmware: o.firmware && o.firmware.toLowerCase() !== 'detect' ? o.firmware : fp.firmware,
        legacyCsta: o.legacyCsta,
        d8xx: fp.d8xx,
      });
      if (!fp.snom) profile.warnings.push('the web server does not look like a Snom phone');
      this.detected = profile;
      return profile;
    } catch (err) {
      // not cached: the next command tries again, e.g. once the phone is up
      const profile = resolveProfile(o);
      profile.warnings.push(`could not read /info.htm (${(err as Error).message})`);
      return profile;
    }
  }

  /**
   * The scheme this phone signs with, the least a msg.target phone may get. With auth 'auto' and
   * nothing learned yet, one request to this phone learns it; when that fails, Digest is assumed
   * (fail closed: no password in clear to another phone).
   */
  authScheme(): Promise<AuthScheme> {
    const known = this.client.scheme;
    if (known) return Promise.resolve(known);
    this.learning ??= this.run([{ command: 'learn the auth scheme', path: '/info.htm' }])
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => this.client.scheme ?? 'digest')
      .finally(() => {
        this.learning = undefined;
      });
    return this.learning;
  }

  /**
   * Run a command's requests in order, as one turn on this phone. The timeout bounds the whole
   * command from `acceptedAt`: a command whose time runs out while it waits fails with E_TIMEOUT
   * and is never sent; each request gets what is left.
   */
  run(requests: PhoneRequest[], options?: number | RunOptions): Promise<RunResult> {
    const o: RunOptions = typeof options === 'number' ? { timeoutMs: options } : (options ?? {});
    const command = requests[0]?.command ?? 'request';
    if (this.closed)
      return Promise.reject(
        new SnomError('E_UNREACHABLE', `Phone ${this.label}: closed (redeploy in progress)`, {
          phone: this.label,
        }).withText('phone.closed', { phone: this.label }),
      );
    const limit = this.options.queueSize ?? 100;
    if (this.waiting >= limit) {
      return Promise.reject(
        new SnomError('E_BUSY', `Phone ${this.label}: ${command} refused, ${limit} commands are already waiting`, {
          phone: this.label,
          command,
        }).withText('phone.busy', { phone: this.label, command, limit }),
      );
    }
    const timeoutMs = positiveInt(o.timeoutMs, this.client.timeoutMs);
    const deadline = (o.acceptedAt ?? performance.now()) + timeoutMs;
    const ahead = this.waiting;
    this.waiting++;
    this.stopIdle();
    return new Promise<RunResult>((resolve, reject) => {
      let state: 'queued' | 'running' | 'expired' = 'queued';
      let slot: Slot | undefined;
      const expire = () => {
        if (state !== 'queued') return;
        state = 'expired';
        slot?.release();
        this.leave();
        reject(
          new SnomError(
            'E_TIMEOUT',
            `Phone ${this.label}: ${command} timed out: its ${timeoutMs} ms ran out while it waited for its turn (${ahead} ahead of it); nothing was sent`,
            { phone: this.label, command, timeoutMs, queued: true },
          ).withText('phone.queueTimeout', { phone: this.label, command, ms: timeoutMs, ahead }),
        );
      };
      const timer = setTimeout(expire, Math.max(0, deadline - performance.now()));
      const expired = (): boolean => state === 'expired';
      this.tail = this.tail.then(async () => {
        if (expired()) return;
        // this phone's turn; then a place among the phones sent to at once (the deadline still runs)
        slot = this.slots.take();
        await slot.ready;
        clearTimeout(timer);
        if (performance.now() >= deadline) expire();
        if (expired()) return;
        state = 'running';
        this.slot = slot;
        try {
          resolve(await this.turn(requests, deadline, timeoutMs));
        } catch (err) {
          reject(err);
        } finally {
          // the place held now: floorScheme may have given the first one back and taken another
          this.slot?.release();
          this.slot = undefined;
          slot.release();
          this.leave();
        }
      });
    });
  }

  private async turn(requests: PhoneRequest[], deadline: number, timeoutMs: number): Promise<RunResult> {
    const started = performance.now();
    const responses: PhoneResponse[] = [];
    for (const [i, r] of requests.entries()) {
      const left = Math.floor(deadline - performance.now());
      if (left < 1) {
        throw new SnomError(
          'E_TIMEOUT',
          `Phone ${this.label}: ${r.command} timed out: the command's ${timeoutMs} ms ran out after ${i} of ${requests.length} requests`,
          {
            phone: this.label,
            command: r.command,
            timeoutMs,
          },
        ).withText('phone.runTimeout', {
          phone: this.label,
          command: r.command,
          ms: timeoutMs,
          done: i,
          total: requests.length,
        });
      }
      const own = typeof r.timeoutMs === 'number' && r.timeoutMs > 0 ? r.timeoutMs : Infinity;
      responses.push(await this.client.request({ ...r, timeoutMs: Math.min(own, left) }));
    }
    return {
      response: responses[responses.length - 1],
      responses,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /**
   * msg.target → the phones to send to (undefined: this phone). Everything is checked before any
   * client is made: the form, the ports, the fleet. Aliases of one phone give one entry, and the
   * configured phone written another way is this phone. Synchronous on purpose: messages that
   * arrive together for a new phone all find the client the first one made.
   */
  targets(target: unknown): TargetLease[] | undefined {
    if (target === undefined || target === null || target === '') return undefined;
    let endpoints: Array<{ ep: Endpoint; what: string; raw: unknown }>;
    if (target === '*') {
      this.checkFleetUsable('msg.target "*"');
      const listed = this.fleet.listed();
      if (listed.length === 0) {
        throw inputError(
          `msg.target "*" sends to every host listed in the fleet, and the fleet of snom-phone ${this.label} lists ranges only: name the phones under "Fleet" in the snom-phone config. Nothing was sent.`,
          { field: 'fleet' },
        ).withText('target.rangesOnly', { phone: this.label });
      }
      endpoints = listed.map((ep) => ({ ep, what: 'msg.target', raw: '*' }));
    } else {
      const list: unknown[] = Array.isArray(target) ? target : [target];
      if (list.length === 0)
        throw inputError('msg.target is an empty array', { field: 'target' }).withText('target.empty');
      endpoints = list.map((raw, i) => {
        const what = Array.isArray(target) ? `msg.target[${i}]` : 'msg.target';
        if (raw === '*')
          throw inputError(`${what}: "*" (every phone of the fleet) must be msg.target on its own`, {
            field: 'target',
          }).withText('target.starAlone', { what });
        return { ep: parseEndpoint(raw, what), what, raw };
      });
    }
    const unique = new Map<string, Endpoint>();
    for (const { ep, what, raw } of endpoints) {
      const key = endpointKey(ep, this.defaultPort);
      if (key !== this.key) this.checkAllowed(ep, what, raw);
      if (!unique.has(key)) unique.set(key, ep);
    }
    const max = positiveInt(this.options.maxTargets, DEFAULT_MAX_TARGETS);
    if (unique.size > max) {
      throw inputError(
        `msg.target names ${unique.size} phones; snom-phone ${this.label} takes at most ${max} per message ("Targets per message"). Nothing was sent.`,
        { field: 'target' },
      ).withText('target.tooMany', { n: unique.size, phone: this.label, max });
    }
    const leases: TargetLease[] = [];
    try {
      for (const ep of unique.values()) leases.push(this.lease(ep));
    } catch (err) {
      for (const l of leases) l.release();
      throw err;
    }
    return leases;
  }

  /** One msg.target phone, fleet-checked; the same SnomPhone for every alias of it. */
  forHost(host: string): TargetLease {
    const ep = parseEndpoint(host, 'msg.target');
    if (endpointKey(ep, this.defaultPort) !== this.key) this.checkAllowed(ep, 'msg.target', host);
    return this.lease(ep);
  }

  /** `phrase` names the input, e.g. msg.target[1] "10.0.0.7". */
  private checkFleetUsable(phrase: string): void {
    const f = this.fleet;
    if (f.error) {
      throw inputError(
        `${phrase}: the fleet of snom-phone ${this.label} is invalid (${f.error.message}), so msg.target may name no other phone; fix "Fleet" in the snom-phone config. Nothing was sent.`,
        { field: 'fleet' },
      ).withText(
        'target.fleetInvalid',
        { what: phrase, phone: this.label, reason: f.error.message },
        { reason: f.error.text },
      );
    }
    if (f.empty) {
      throw inputError(
        `${phrase}: the fleet of snom-phone ${this.label} is empty, so msg.target may name no other phone. To allow it, list the phones that may use these credentials under "Fleet" in the snom-phone config (host names, addresses, or ranges such as 192.168.1.0/24). Nothing was sent.`,
        { field: 'fleet' },
      ).withText('target.fleetEmpty', { what: phrase, phone: this.label });
    }
  }

  private checkAllowed(ep: Endpoint, what: string, raw: unknown): void {
    const phrase = `${what} ${quoteInput(raw)}`;
    this.checkFleetUsable(phrase);
    if (!this.fleet.allows(ep, this.defaultPort)) {
      throw inputError(
        `${phrase} is not in the fleet of snom-phone ${this.label}: add it (or its range) under "Fleet" in the snom-phone config to let it use these credentials. Nothing was sent.`,
        { field: 'fleet', target: endpointKey(ep, this.defaultPort) },
      ).withText('target.notInFleet', { what: phrase, phone: this.label });
    }
  }

  private lease(ep: Endpoint): TargetLease {
    const key = endpointKey(ep, this.defaultPort);
    if (key === this.key) return { phone: this, release: () => undefined };
    // a closing phone (redeploy) makes no new clients that nobody would close
    if (this.closed)
      throw new SnomError('E_UNREACHABLE', `Phone ${this.label}: closed (redeploy in progress)`, {
        phone: this.label,
      }).withText('phone.closed', { phone: this.label });
    let s = this.siblings.get(key);
    if (s) {
      this.siblings.delete(key); // most recently used last
    } else {
      this.makeRoom();
      // a configured model and firmware are every msg.target phone's: one profile for all of them
      const shared = this.profileFixed ? this.profileNow() : undefined;
      const sibling: SnomPhone = new SnomPhone(
        {
          ...this.options,
          host: endpointHost(ep),
          port: ep.port,
          name: undefined,
          fleet: NO_FLEET,
          share: this.client.share,
          authFloor: { label: `the configured phone ${this.label}`, scheme: () => sibling.floorScheme() },
        },
        shared,
        key,
      );
      sibling.parent = this;
      s = sibling;
    }
    this.siblings.set(key, s);
    const phone = s;
    phone.holds++;
    phone.stopIdle();
    let released = false;
    return {
      phone,
      release: () => {
        if (released) return;
        released = true;
        phone.holds--;
        phone.idleCheck();
      },
    };
  }

  /**
   * The configured phone's scheme, asked in the middle of this phone's request (a Basic challenge).
   * Learning it may need a request to the configured phone, so this phone gives its place back
   * while it waits (it sends nothing then): with every place held so, nothing would move.
   */
  private async floorScheme(): Promise<AuthScheme> {
    const parent = this.parent!;
    const held = this.slot;
    if (!held || parent.client.scheme) return parent.authScheme();
    held.release();
    try {
      return await parent.authScheme();
    } finally {
      const again = this.slots.take();
      this.slot = again;
      await again.ready;
    }
  }

  private makeRoom(): void {
    const max = positiveInt(this.options.maxTargetClients, DEFAULT_MAX_TARGET_CLIENTS);
    if (this.siblings.size < max) return;
    for (const [k, s] of this.siblings) {
      if (s.idle) {
        this.siblings.delete(k);
        void s.retire();
        return;
      }
    }
    throw new SnomError(
      'E_BUSY',
      `Phone ${this.label}: msg.target needs another phone, but ${max} other phones are busy at once; try again when some are done`,
      {
        phone: this.label,
      },
    ).withText('phone.siblingsBusy', { phone: this.label, max });
  }

  private get idle(): boolean {
    return this.holds === 0 && this.waiting === 0;
  }

  private leave(): void {
    this.waiting--;
    this.idleCheck();
  }

  private stopIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** A msg.target phone that nobody holds and nothing waits on is closed after the idle time. */
  private idleCheck(): void {
    const parent = this.parent;
    if (!parent || this.closed || !this.idle || this.idleTimer) return;
    const ms = positiveInt(parent.options.targetIdleMs, DEFAULT_TARGET_IDLE_MS);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.idle || this.closed) return;
      if (parent.siblings.get(this.key) === this) parent.siblings.delete(this.key);
      void this.retire();
    }, ms);
    this.idleTimer.unref();
  }

  /** An idle msg.target phone let go: closed, its accepted Digest nonce kept with its config for the next client. */
  private retire(): Promise<void> {
    this.closed = true;
    this.stopIdle();
    return this.client.close({ keepNonce: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopIdle();
    const all = this.siblingMap ? [...this.siblingMap.values()].map((s) => s.close()) : [];
    this.siblingMap?.clear();
    await Promise.allSettled([...all, this.client.close()]);
  }
}
