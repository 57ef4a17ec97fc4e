// The firmware lines the editor offers (src/lib/profile/lines.ts) are exactly the versions at which
// the profile changes: a sweep over versions finds every change point, and each is listed.
import assert from 'node:assert/strict';
import { FIRMWARE_LINES, resolveProfile } from '../../../src/lib/profile';

/** What the nodes act on, without the version text and the notes. */
function behaviour(firmware: string): string {
  return ['snom870', 'D785', 'snom320']
    .map((model) => {
      const { firmware: _f, warnings: _w, ...rest } = resolveProfile({ model, firmware });
      return JSON.stringify(rest);
    })
    .join('|');
}

describe('profile: firmware lines', () => {
  it('are the versions where the profile changes, newest first', () => {
    const changes: string[] = [];
    let before: string | undefined;
    for (let major = 6; major <= 10; major++)
      for (let minor = 0; minor <= 12; minor++)
        for (let patch = 0; patch <= 40; patch++) {
          const v = `${major}.${minor}.${patch}`;
          const b = behaviour(v);
          if (before !== undefined && b !== before) changes.push(v);
          before = b;
        }
    assert.deepEqual([...FIRMWARE_LINES], changes.reverse());
  });
});
