// The fan-out baseline: the same command to the same N fleet phones with no library at all — one
// undici Client per phone and the hand-written Digest loop (bench/raw-digest.ts), all phones at once.
// "Cold": new clients (connect + Digest challenge, 2 exchanges per phone); "warm": the same clients again.
import { ownCpuMs } from './procs';
import { RawDigestLoop } from './raw-digest';
import { SIM_PASSWORD, SIM_USER, type SimEndpoint } from './sim';

export interface RawBurst {
  kind: 'cold' | 'warm';
  ms: number;
  /** CPU ms of this process during the burst */
  cpuMs: number;
  /** CPU ms of the phones' processes during the burst */
  phonesCpuMs: number;
  ok: number;
  failed: number;
  firstError?: string;
}

export interface RawFanoutSample {
  cold: RawBurst;
  warm: RawBurst;
  ok: number;
  failed: number;
  firstError?: string;
}

async function burst(kind: RawBurst['kind'], loops: RawDigestLoop[], phonesCpuMs: () => number): Promise<RawBurst> {
  const cpu0 = ownCpuMs();
  const phones0 = phonesCpuMs();
  const t0 = performance.now();
  const settled = await Promise.allSettled(loops.map((l) => l.get('/command.htm?key=P1')));
  const ms = performance.now() - t0;
  const cpuMs = ownCpuMs() - cpu0;
  const phones = phonesCpuMs() - phones0;
  let ok = 0;
  let firstError: string | undefined;
  for (const s of settled) {
    if (s.status === 'fulfilled' && s.value === 200) ok++;
    else firstError ??= s.status === 'rejected' ? String(s.reason) : `HTTP ${s.value}`;
  }
  return { kind, ms, cpuMs, phonesCpuMs: phones, ok, failed: loops.length - ok, ...(firstError ? { firstError } : {}) };
}

export async function rawFanout(phones: readonly SimEndpoint[], phonesCpuMs: () => number): Promise<RawFanoutSample> {
  const loops = phones.map((p) => new RawDigestLoop(p.url, SIM_USER, SIM_PASSWORD));
  try {
    const cold = await burst('cold', loops, phonesCpuMs);
    const warm = await burst('warm', loops, phonesCpuMs);
    return {
      cold,
      warm,
      ok: cold.ok + warm.ok,
      failed: cold.failed + warm.failed,
      ...(cold.firstError || warm.firstError ? { firstError: cold.firstError ?? warm.firstError } : {}),
    };
  } finally {
    await Promise.allSettled(loops.map((l) => l.close()));
  }
}
