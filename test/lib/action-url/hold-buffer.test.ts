import assert from 'node:assert/strict';
import { EventHoldBuffer, InFlight, StatusThrottle } from '../../../src/lib/action-url';

describe('EventHoldBuffer', () => {
  it('holds up to maxCount items in order and counts the rest as dropped', () => {
    const b = new EventHoldBuffer<number>({ maxCount: 3, maxAgeMs: 1000, now: () => 0 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => b.push(n)),
      [true, true, true, false, false],
    );
    assert.equal(b.size, 3);
    assert.equal(b.dropped, 2);
    assert.deepEqual(b.drain(), [1, 2, 3]);
    assert.equal(b.size, 0);
    assert.deepEqual(b.drain(), [], 'drained items are gone');
    assert.deepEqual(b.takeCounts(), { dropped: 2, expired: 0 });
    assert.deepEqual(b.takeCounts(), { dropped: 0, expired: 0 });
  });

  it('discards items older than maxAgeMs and counts them as expired', () => {
    let t = 0;
    const b = new EventHoldBuffer<string>({ maxCount: 10, maxAgeMs: 100, now: () => t });
    b.push('a');
    t = 50;
    b.push('b');
    t = 120; // 'a' is 120 ms old, 'b' 70 ms
    assert.deepEqual(b.drain(), ['b']);
    assert.equal(b.expired, 1);
    assert.equal(b.dropped, 0);
  });

  it('frees room when old items expire', () => {
    let t = 0;
    const b = new EventHoldBuffer<number>({ maxCount: 2, maxAgeMs: 10, now: () => t });
    b.push(1);
    b.push(2);
    assert.equal(b.push(3), false);
    t = 11;
    assert.equal(b.push(4), true);
    assert.deepEqual(b.drain(), [4]);
    assert.deepEqual(b.takeCounts(), { dropped: 1, expired: 2 });
  });

  it('lets a forced item past the count bound, but not past the age bound', () => {
    let t = 0;
    const b = new EventHoldBuffer<number>({ maxCount: 1, maxAgeMs: 10, now: () => t });
    b.push(1);
    assert.equal(b.push(2), false);
    assert.equal(b.push(3, true), true);
    t = 5;
    assert.deepEqual(b.drain(), [1, 3]);
    b.push(4, true);
    t = 20;
    assert.deepEqual(b.drain(), []);
    assert.deepEqual(b.takeCounts(), { dropped: 1, expired: 1 });
  });

  it('puts items taken back at the front, past the count bound, as old as the oldest held', () => {
    let t = 0;
    const b = new EventHoldBuffer<number>({ maxCount: 2, maxAgeMs: 100, now: () => t });
    b.push(3);
    t = 50;
    b.push(4);
    b.pushFront([1, 2]);
    assert.equal(b.size, 4);
    assert.equal(b.push(5), false, 'the bound still holds for new items');
    t = 120; // 3 (and 1, 2 with its age) are too old now; 4 is not
    assert.deepEqual(b.drain(), [4]);
    assert.equal(b.expired, 3);
  });

  it('holds nothing with maxCount 0', () => {
    const b = new EventHoldBuffer<number>({ maxCount: 0, maxAgeMs: 10 });
    assert.equal(b.push(1), false);
    assert.equal(b.dropped, 1);
  });
});

describe('InFlight', () => {
  it('keeps an item until one turn of the event loop has passed, and gives it up once', async () => {
    const f = new InFlight<string>();
    f.add('a', 'first');
    f.add('b', 'second');
    assert.deepEqual(f.take(), [
      { id: 'a', item: 'first' },
      { id: 'b', item: 'second' },
    ]);
    assert.deepEqual(f.take(), []);
    f.add('c', 'third');
    await new Promise((r) => setImmediate(r));
    assert.equal(f.size, 0, 'delivered by now');
    assert.deepEqual(f.take(), []);
  });
});

describe('StatusThrottle', () => {
  it('applies the first value at once and coalesces a burst into the last value', () => {
    let t = 1000;
    const shown: number[] = [];
    const s = new StatusThrottle<number>(
      (v) => shown.push(v),
      500,
      () => t,
    );
    s.set(1);
    for (let i = 2; i <= 50; i++) s.set(i);
    assert.deepEqual(shown, [1]);
    s.flush();
    assert.deepEqual(shown, [1, 50]);
    s.force(99);
    assert.deepEqual(shown, [1, 50, 99]);
    s.set(100);
    s.cancel();
    s.flush();
    assert.deepEqual(shown, [1, 50, 99], 'cancelled value is not shown');
    t += 1000;
    s.set(101);
    assert.deepEqual(shown, [1, 50, 99, 101]);
  });

  it('update() makes the value only when it is shown: once per interval, not once per event', () => {
    let t = 1000;
    let made = 0;
    let n = 0;
    const shown: number[] = [];
    const show = (v: number): void => void shown.push(v);
    const s = new StatusThrottle<number>(show, 500, () => t);
    const compute = () => (made++, n);
    for (n = 1; n <= 1000; n++) s.update(compute);
    assert.equal(made, 1, 'the first shown at once, the rest waits uncomputed');
    n = 1000;
    s.flush();
    assert.deepEqual(shown, [1, 1000], 'the last state wins');
    assert.equal(made, 2);
    s.update(compute);
    s.cancel();
    s.flush();
    assert.equal(made, 2, 'a cancelled update is never computed');
    s.update(compute);
    s.set(7);
    s.flush();
    assert.deepEqual(shown, [1, 1000, 7], 'a later set replaces a pending update');
    t += 1000;
    s.update(() => 8);
    assert.deepEqual(shown, [1, 1000, 7, 8]);
  });
});
