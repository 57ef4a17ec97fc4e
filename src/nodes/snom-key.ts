import { buildKeyCommand } from '../lib/commands/keys';
import { fieldOr, registerCommandNode } from './shared/command-node';
import type { RED } from './shared/red';

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-key', {
    build: ({ config, msg, profile }) => buildKeyCommand(fieldOr(config.keys, msg.payload), profile),
    statusText: (plan, _ctx, t) => t('status.key', { keys: plan.requests[0].path.replace('/command.htm?key=', '') }),
  });
};
