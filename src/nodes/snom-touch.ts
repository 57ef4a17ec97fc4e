import type * as Touch from '../lib/commands/touch';
import { fieldOr, registerCommandNode } from './shared/command-node';
import { lazy } from './shared/lazy';
import type { RED } from './shared/red';

// loaded with the first message (Node-RED's start loads only the register function)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const touch = lazy(() => require('../lib/commands/touch') as typeof Touch);

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-touch', {
    build: ({ config, msg, profile }) => touch().buildTouch(fieldOr(config.touch, msg.payload), profile),
    statusText: (plan, _ctx, t) =>
      t('status.touch', { points: decodeURIComponent(plan.requests[0].path.replace('/command.htm?touch=', '')) }),
  });
};
