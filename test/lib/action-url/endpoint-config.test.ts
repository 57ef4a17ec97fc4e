import assert from 'node:assert/strict';
import { ACTION_EVENT_NAMES, endpointConfig, eventSelection } from '../../../src/lib/action-url';
import { SnomError } from '../../../src/lib/errors';

describe('action-url: the endpoint form', () => {
  it('takes the defaults for a missing or empty path, hold time and count', () => {
    for (const form of [{}, { path: '', holdMs: '', holdCount: '' }, { holdMs: 'soon', holdCount: -1 }]) {
      const c = endpointConfig(form);
      assert.equal(c.path, '/snom/events', JSON.stringify(form));
      assert.equal(c.holdMs, 10000, JSON.stringify(form));
      assert.equal(c.holdCount, 200, JSON.stringify(form));
      assert.equal(c.events, null);
      assert.equal(c.problem, undefined);
    }
  });

  it('allows holding nothing (0) and reads numbers given as text', () => {
    const c = endpointConfig({ path: 'snom/x', holdMs: 0, holdCount: '7.9' });
    assert.equal(c.path, '/snom/x');
    assert.equal(c.holdMs, 0);
    assert.equal(c.holdCount, 7);
  });

  it('refuses a path nothing can listen on; a bad allowlist or variable list becomes the problem', () => {
    assert.throws(
      () => endpointConfig({ path: '/a b' }),
      (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT',
    );
    assert.match(endpointConfig({ allowlist: 'not-an-address' }).problem ?? '', /allowlist/);
    assert.ok(endpointConfig({ variables: '$sip_header(' }).problem);
    assert.deepEqual(endpointConfig({ allowlist: '10.0.0.0/8' }).allowlist.entries, ['10.0.0.0/8']);
  });

  it('selects events from a list or one text, leaving unknown names out', () => {
    assert.equal(eventSelection(undefined), null);
    assert.equal(eventSelection('all'), null);
    assert.deepEqual([...(eventSelection(['incoming', 'nope', 5, 'hold']) ?? [])], ['incoming', 'hold']);
    assert.deepEqual([...(eventSelection('incoming, missed  constructor') ?? [])], ['incoming', 'missed']);
    assert.deepEqual([...(eventSelection([]) ?? ['x'])], []);
    assert.ok(ACTION_EVENT_NAMES.includes('incoming'));
  });
});
