// One way for tests to take the SnomError a promise must reject with.
import assert from 'node:assert/strict';
import { SnomError } from '../../src/lib/errors';

/** The SnomError `p` rejects with; fails the test when it resolves or rejects with something else. */
export async function rejection(p: Promise<unknown>): Promise<SnomError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SnomError, String(err));
    return err;
  }
  assert.fail('expected the promise to reject');
}
