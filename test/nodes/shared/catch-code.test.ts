// msg.error.code on Node-RED 3.x (src/nodes/shared/catch-code.ts), through @node-red/util's real hooks.
import assert from 'node:assert/strict';
import { SnomError } from '../../../src/lib/errors';
import { dropsErrorCode, restoreCatchCodes } from '../../../src/nodes/shared/catch-code';
import type { RED } from '../../../src/nodes/shared/red';
import { fromNodeRed } from '../../support/red';

const { hooks } = require(fromNodeRed('@node-red/util'));
const HOOK = 'onReceive.snom-catch-code';

function receive(event: object): Promise<void> {
  return new Promise((resolve, reject) =>
    hooks.trigger('onReceive', event, (err: unknown) => (err ? reject(err) : resolve())),
  );
}

function catchEvent(message: string, sourceType = 'snom-key', destination = 'catch') {
  return {
    msg: { _msgid: 'm1', error: { message, source: { id: 'n1', type: sourceType } } },
    destination: { id: 'c1', node: { type: destination } },
  };
}

describe('msg.error.code on Node-RED 3.x', () => {
  afterEach(() => hooks.remove(HOOK));

  it('our errors print their code as Node.js prints coded errors', () => {
    assert.equal(String(new SnomError('E_INPUT', 'bad key')), 'SnomError [E_INPUT]: bad key');
  });

  it('only runtimes before 4.0 drop the code', () => {
    assert.deepEqual(['3.1.15', '3.0.2', '4.0.0', '4.1.15', '5.0.7', 'x'].map(dropsErrorCode), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('on 3.x a Catch node reporting one of our nodes gets the code back; others are left alone', async () => {
    restoreCatchCodes({ hooks, version: () => '3.1.15' } as unknown as RED);
    restoreCatchCodes({ hooks, version: () => '3.1.15' } as unknown as RED); // once per runtime
    const ours = catchEvent(String(new SnomError('E_AUTH', 'wrong password')));
    await receive(ours);
    assert.equal((ours.msg.error as { code?: string }).code, 'E_AUTH');
    const core = catchEvent('SnomError [E_AUTH]: looks like ours', 'function');
    const notCatch = catchEvent(String(new SnomError('E_AUTH', 'x')), 'snom-key', 'debug');
    const plain = catchEvent('Error: something else');
    for (const e of [core, notCatch, plain]) await receive(e);
    for (const e of [core, notCatch, plain]) assert.equal((e.msg.error as { code?: string }).code, undefined);
  });

  it('on 4.x and later no hook is added (the runtime copies the code itself)', () => {
    restoreCatchCodes({ hooks, version: () => '4.1.15' } as unknown as RED);
    assert.equal(hooks.has(HOOK), false);
  });
});
