import type * as Keys from '../lib/commands/keys';
import { fieldOr, registerCommandNode } from './shared/command-node';
import { lazy } from './shared/lazy';
import type { RED } from './shared/red';

// loaded with the first message (Node-RED's start loads only the register function)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const keys = lazy(() => require('../lib/commands/keys') as typeof Keys);

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-key', {
    build: ({ config, msg, profile }) => keys().buildKeyCommand(fieldOr(config.keys, msg.payload), profile),
    statusText: (plan, _ctx, t) => t('status.key', { keys: plan.requests[0].path.replace('/command.htm?key=', '') }),
  });
};
