import { buildTouch } from '../lib/commands/touch';
import { fieldOr, registerCommandNode } from './shared/command-node';
import type { RED } from './shared/red';

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-touch', {
    build: ({ config, msg, profile }) => buildTouch(fieldOr(config.touch, msg.payload), profile),
    statusText: (plan, _ctx, t) =>
      t('status.touch', { points: decodeURIComponent(plan.requests[0].path.replace('/command.htm?touch=', '')) }),
  });
};
