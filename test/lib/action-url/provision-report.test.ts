// The provisioning fan-out without phones: the choice of phones, what is refused before anything is
// sent, and the report's failures (the phones' side is in provision.test.ts).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseExtraVariables,
  phoneIdList,
  provisionAction,
  provisionFailure,
  provisionPhones,
  type FanOutOptions,
} from '../../../src/lib/action-url';
import { SnomError } from '../../../src/lib/errors';

const TOKEN = 'fan-out-t0ken-abcdefghijklmnop';

function options(over: Partial<FanOutOptions> = {}): FanOutOptions & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    configured: [],
    phoneFor: (id) => {
      asked.push(id);
      return undefined;
    },
    events: 'all',
    httpNodeRoot: '/',
    path: '/snom/events',
    token: TOKEN,
    variables: undefined,
    unprovision: false,
    ...over,
  };
}

const isInput = (e: unknown) => e instanceof SnomError && e.code === 'E_INPUT';

describe('action-url: provisioning several phones', () => {
  it('refuses an empty choice before asking for any phone', async () => {
    const o = options({ ids: [] });
    await assert.rejects(
      provisionPhones(o),
      (e: unknown) => isInput(e) && /No phones chosen/.test((e as Error).message),
    );
    assert.deepEqual(o.asked, []);
  });

  it("takes the run's ids over the configured ones, and reports ids that name no phone", async () => {
    const long = 'x'.repeat(100);
    const o = options({ ids: ['a', long], configured: ['c'] });
    const report = await provisionPhones(o);
    assert.deepEqual(o.asked.sort(), ['a', long].sort());
    assert.deepEqual(report.results, []);
    assert.deepEqual(report.errors.map((e) => [e.phone, e.code]).sort(), [
      ['a', 'E_INPUT'],
      ['x'.repeat(64), 'E_INPUT'],
    ]);
    const again = options({ configured: ['c'] });
    await provisionPhones(again);
    assert.deepEqual(again.asked, ['c']);
  });

  it('refuses bad variables before asking for any phone (property, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.array(fc.string(), { maxLength: 3 }),
          fc.constantFrom('$sip_header(', 'user_uid[1]', '$sip_header(X-A)'),
        ),
        async (variables) => {
          let valid = true;
          try {
            parseExtraVariables(variables);
          } catch {
            valid = false;
          }
          const o = options({ ids: ['p0'], variables });
          const outcome = await provisionPhones(o).then(
            () => 'ok',
            (e: unknown) => (isInput(e) ? 'E_INPUT' : String(e)),
          );
          assert.equal(outcome, valid ? 'ok' : 'E_INPUT');
          assert.deepEqual(o.asked, valid ? ['p0'] : []);
        },
      ),
      { seed: 20250801, numRuns: 200 },
    );
  });

  it('ends a run with failures in the first failure, counting them', () => {
    assert.equal(provisionFailure('provision', { results: [], errors: [] }), undefined);
    const e = provisionFailure('unprovision', {
      results: [],
      errors: [
        { phone: 'desk', code: 'E_AUTH', message: 'wrong password' },
        { phone: 'p9', code: 'E_INPUT', message: 'gone' },
      ],
    });
    assert.ok(e instanceof SnomError);
    assert.equal(e.code, 'E_AUTH');
    assert.equal(e.message, 'unprovision failed on 2 phone(s): desk: wrong password');
  });

  it('reads the action and the phone ids as the node gets them', () => {
    assert.equal(provisionAction('Provision'), 'provision');
    assert.equal(provisionAction('UNPROVISION'), 'unprovision');
    for (const bad of [undefined, '', 'write', 5, {}]) assert.throws(() => provisionAction(bad), isInput);
    assert.deepEqual(phoneIdList(['a', '', 'b']), ['a', 'b']);
    assert.deepEqual(phoneIdList(' a, b  c'), ['a', 'b', 'c']);
    assert.deepEqual(phoneIdList(undefined), []);
  });
});
