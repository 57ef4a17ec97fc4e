import { SnomError } from './errors';
import { PhoneClient } from './http/client';
import type { PhoneClientOptions, PhoneRequest, PhoneResponse } from './http/types';
import { parseInfoPage } from './profile/detect';
import { resolveProfile } from './profile/profile';
import type { Profile } from './profile/types';

export interface SnomPhoneOptions extends PhoneClientOptions {
  /** model name, or "" / "detect" */
  model?: string;
  /** firmware version, or "" / "detect" */
  firmware?: string;
  /** phone runs with csta_legacy_control=0 */
  legacyCsta?: boolean;
}

export interface RunResult {
  /** the last request's response */
  response: PhoneResponse;
  responses: PhoneResponse[];
  durationMs: number;
}

function needsDetection(o: SnomPhoneOptions): boolean {
  const d = (v?: string) => !v || v.trim() === '' || v.trim().toLowerCase() === 'detect';
  return d(o.model) || d(o.firmware);
}

/**
 * One phone: its client, its profile (static or read from /info.htm once), and the order of
 * whole commands. A command of several requests (attended transfer) never interleaves with
 * another, because commands, not single requests, take turns here.
 */
export class SnomPhone {
  readonly options: SnomPhoneOptions;
  readonly client: PhoneClient;
  private profilePromise?: Promise<Profile>;
  private detected?: Profile;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly siblings = new Map<string, SnomPhone>();
  private closed = false;

  constructor(options: SnomPhoneOptions, profile?: Profile) {
    this.options = options;
    this.client = new PhoneClient(options);
    if (profile) this.detected = profile;
  }

  get label(): string {
    return this.client.label;
  }

  /** The profile the nodes check before sending. Detection failures fall back to permissive rules. */
  profile(): Promise<Profile> {
    if (this.detected) return Promise.resolve(this.detected);
    if (!needsDetection(this.options)) {
      this.detected = resolveProfile(this.options);
      return Promise.resolve(this.detected);
    }
    this.profilePromise ??= this.detect().finally(() => {
      this.profilePromise = undefined;
    });
    return this.profilePromise;
  }

  private async detect(): Promise<Profile> {
    const o = this.options;
    try {
      const res = await this.client.request({ command: 'detect model', path: '/info.htm' });
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

  /** Run a command's requests in order, as one turn on this phone. */
  run(requests: PhoneRequest[], timeoutMs?: number): Promise<RunResult> {
    if (this.closed) return Promise.reject(new SnomError('E_UNREACHABLE', `Phone ${this.label}: closed (redeploy in progress)`, { phone: this.label }));
    const limit = this.options.queueSize ?? 100;
    if (this.waiting >= limit) {
      const cmd = requests[0]?.command;
      return Promise.reject(new SnomError('E_BUSY', `Phone ${this.label}: ${cmd} refused, ${limit} commands are already waiting`, { phone: this.label, command: cmd }));
    }
    this.waiting++;
    const turn = this.tail.then(async () => {
      const started = Date.now();
      const responses: PhoneResponse[] = [];
      for (const r of requests) {
        responses.push(await this.client.request(timeoutMs === undefined ? r : { ...r, timeoutMs }));
      }
      return { response: responses[responses.length - 1], responses, durationMs: Date.now() - started };
    });
    this.tail = turn.catch(() => undefined).finally(() => {
      this.waiting--;
    });
    return turn;
  }

  /** The same phone settings and profile for another host (msg.target fan-out). */
  async forHost(host: string): Promise<SnomPhone> {
    const key = host.trim().toLowerCase();
    if (key === this.options.host.trim().toLowerCase()) return this;
    let s = this.siblings.get(key);
    if (!s) {
      const profile = await this.profile();
      s = new SnomPhone({ ...this.options, host: host.trim(), port: undefined, name: undefined }, profile);
      this.siblings.set(key, s);
    }
    return s;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.siblings.values()].map((s) => s.close());
    this.siblings.clear();
    await Promise.allSettled([...all, this.client.close()]);
  }
}
