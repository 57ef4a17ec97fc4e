import { fieldOr, registerCommandNode } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Keys from '../lib/commands/keys';
import type { RED } from './shared/red';

// loaded with the first message, not at Node-RED's start
const keyCommands = onFirstUse<typeof Keys>('lib/commands/keys');

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-key', {
    build: ({ config, msg, profile }) => keyCommands().buildKeyCommand(fieldOr(config.keys, msg.payload), profile),
    statusText: (plan, _ctx, t) => t('status.key', { keys: plan.requests[0].path.replace('/command.htm?key=', '') }),
  });
};
