import assert from 'node:assert/strict';
import { countOf, endpointStatus, type EndpointCounts } from '../../../src/lib/action-url';

const counts = (over: Partial<EndpointCounts> = {}): EndpointCounts => ({
  path: '/snom/events',
  duplicate: false,
  received: 0,
  refused: 0,
  dropped: 0,
  ...over,
});

describe('action-url: the endpoint status', () => {
  it('listens, then counts events, refusals and losses', () => {
    assert.deepEqual(endpointStatus(counts()), { fill: 'green', shape: 'dot', text: 'listening /snom/events' });
    assert.deepEqual(endpointStatus(counts({ received: 1 })), { fill: 'green', shape: 'dot', text: '1 event' });
    assert.deepEqual(endpointStatus(counts({ received: 2, refused: 1 })), {
      fill: 'green',
      shape: 'dot',
      text: '2 events, 1 refused',
    });
    assert.deepEqual(endpointStatus(counts({ refused: 3 })), {
      fill: 'green',
      shape: 'dot',
      text: '0 events, 3 refused',
    });
    assert.deepEqual(endpointStatus(counts({ received: 4, dropped: 1 })), {
      fill: 'yellow',
      shape: 'dot',
      text: '4 events, 1 event dropped',
    });
  });

  it('is red for a misconfiguration before a shared path, whatever was counted', () => {
    assert.deepEqual(endpointStatus(counts({ problem: 'bad allowlist', duplicate: true, received: 5 })), {
      fill: 'red',
      shape: 'ring',
      text: 'invalid configuration',
    });
    assert.deepEqual(endpointStatus(counts({ duplicate: true, dropped: 2 })), {
      fill: 'red',
      shape: 'ring',
      text: 'duplicate path /snom/events',
    });
  });

  it('counts in words', () => {
    assert.equal(countOf(0, 'event'), '0 events');
    assert.equal(countOf(1, 'phone event'), '1 phone event');
  });
});
