// The fan-out baseline: the same command to the same N fleet phones with no library at all — one
// undici Client per phone and the hand-written Digest loop (bench/raw-digest.ts), all phones at once.
// "Cold": new clients (connect + Digest challenge, 2 exchanges per phone); "warm": the same clients again.
import { RawDigestLoop } from './raw-digest';
import { SIM_PASSWORD, SIM_USER, type SimEndpoint } from './sim';

export interface RawFanoutSample {
  coldMs: number;
  warmMs: number;
  ok: number;
  failed: number;
  firstError?: string;
}

async function burst(loops: RawDigestLoop[]): Promise<{ ms: number; ok: number; failed: number; firstError?: string }> {
  const t0 = performance.now();
  const settled = await Promise.allSettled(loops.map((l) => l.get('/command.htm?key=P1')));
  const ms = performance.now() - t0;
  let ok = 0;
  let firstError: string | undefined;
  for (const s of settled) {
    if (s.status === 'fulfilled' && s.value === 200) ok++;
    else firstError ??= s.status === 'rejected' ? String(s.reason) : `HTTP ${s.value}`;
  }
  return { ms, ok, failed: loops.length - ok, ...(firstError ? { firstError } : {}) };
}

export async function rawFanout(phones: readonly SimEndpoint[]): Promise<RawFanoutSample> {
  const loops = phones.map((p) => new RawDigestLoop(p.url, SIM_USER, SIM_PASSWORD));
  try {
    const cold = await burst(loops);
    const warm = await burst(loops);
    return {
      coldMs: cold.ms,
      warmMs: warm.ms,
      ok: cold.ok + warm.ok,
      failed: cold.failed + warm.failed,
      ...(cold.firstError || warm.firstError ? { firstError: cold.firstError ?? warm.firstError } : {}),
    };
  } finally {
    await Promise.allSettled(loops.map((l) => l.close()));
  }
}
