import { inputError, quoteInput } from '../lib/errors';
import { fieldOr, registerCommandNode } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Remote from '../lib/commands/remote';
import type { NodeMessage, RED } from './shared/red';

// loaded with the first message, not at Node-RED's start
const remoteCommands = onFirstUse<typeof Remote>('lib/commands/remote');

/** msg.payload may be the number itself or { number, identity }. */
function fromPayload(msg: NodeMessage, key: string): unknown {
  const p = msg.payload;
  if (p !== null && typeof p === 'object') return (p as Record<string, unknown>)[key];
  return key === 'number' ? p : undefined;
}

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-dial', {
    build: ({ config, msg, profile }) => {
      const { buildDial, buildDtmf } = remoteCommands();
      const mode = fieldOr(config.mode, msg.mode) ?? 'dial';
      const number = fieldOr(config.number, fromPayload(msg, 'number'));
      if (mode === 'dtmf') return buildDtmf(number, profile);
      if (mode !== 'dial')
        throw inputError(`Mode must be "dial" or "dtmf", got ${quoteInput(mode, 40)}`).withText('dial.mode', {
          value: quoteInput(mode, 40),
        });
      const identity = fieldOr(config.identity, msg.identity ?? fromPayload(msg, 'identity'));
      return buildDial(number, identity, profile);
    },
    statusText: (plan, _ctx, t) =>
      t(plan.command === 'dtmf' ? 'status.dtmf' : 'status.dial', {
        number: decodeURIComponent(plan.requests[0].path.replace(/^.*?=/, '').replace(/&.*$/, '')),
      }),
  });
};
