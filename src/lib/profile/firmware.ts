import type { FirmwareVersion } from './types';

/** Parse "8.7.5.35", "10.1.33.33", "V8.7.3" → parts; undefined when there is no version in it. */
export function parseFirmware(text: string | undefined): FirmwareVersion | undefined {
  if (!text) return undefined;
  const m = /(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3] ?? 0),
    build: Number(m[4] ?? 0),
    raw: m[0],
  };
}

/** Compare a firmware with "a.b.c": negative when older, 0 equal (build ignored), positive newer. */
export function compareFirmware(fw: FirmwareVersion, version: string): number {
  const [a, b, c] = version.split('.').map(Number);
  return fw.major - a || fw.minor - b || fw.patch - (c ?? 0);
}

export function atLeast(fw: FirmwareVersion, version: string): boolean {
  return compareFirmware(fw, version) >= 0;
}
