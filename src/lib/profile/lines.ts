/**
 * The firmware lines the profile tells apart, newest first: the first version of each, where some
 * capability starts or ends (docs/protocol.md §4.6 touch, §7.5 minibrowser push, §8.2 CSTA over
 * HTTP). A phone of a line behaves like its first version, so the editor offers these instead of a
 * free-text version; test/lib/profile/lines.test.ts sweeps the versions to keep the list complete.
 */
export const FIRMWARE_LINES: readonly string[] = '8.7.4 8.7.3 8.7.2 8.7.1 8.7.0 8.5.0 8.4.34 8.4.32 8.2.7 7.3.4'.split(
  ' ',
);
