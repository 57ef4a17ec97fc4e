import type * as Remote from '../lib/commands/remote';
import { fieldOr, registerCommandNode } from './shared/command-node';
import { lazy } from './shared/lazy';
import type { NodeMessage, RED } from './shared/red';

// loaded with the first message (Node-RED's start loads only the register function)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const remote = lazy(() => require('../lib/commands/remote') as typeof Remote);

function fromMsg(msg: NodeMessage, key: string): unknown {
  const p = msg.payload;
  if (msg[key] !== undefined) return msg[key];
  return p !== null && typeof p === 'object' ? (p as Record<string, unknown>)[key] : undefined;
}

export = function register(RED: RED): void {
  registerCommandNode(RED, 'snom-command', {
    build: ({ config, msg, profile }) => {
      // "msg" in the form lets the message choose the command; confirm can only come from the form
      const command =
        config.command && config.command !== 'msg'
          ? config.command
          : (fromMsg(msg, 'command') ?? (typeof msg.payload === 'string' ? msg.payload : undefined));
      return remote().buildRemoteCommand(
        command,
        {
          identity: fieldOr(config.identity, fromMsg(msg, 'identity')),
          ringer: fieldOr(config.ringer, fromMsg(msg, 'ringer')),
          url: fieldOr(config.url, fromMsg(msg, 'url')),
          target: fieldOr(config.transferTarget, fromMsg(msg, 'transferTarget')),
          confirm: config.confirmReset === true,
        },
        profile,
      );
    },
  });
};
