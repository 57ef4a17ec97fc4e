import { fieldOr, registerCommandNode } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Touch from '../lib/commands/touch';
import type { RED } from './shared/red';

// loaded with the first message, not at Node-RED's start
const touchCommands = onFirstUse<typeof Touch>('lib/commands/touch');

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-touch', {
    build: ({ config, msg, profile }) => touchCommands().buildTouch(fieldOr(config.touch, msg.payload), profile),
    statusText: (plan, _ctx, t) =>
      t('status.touch', { points: decodeURIComponent(plan.requests[0].path.replace('/command.htm?touch=', '')) }),
  });
};
