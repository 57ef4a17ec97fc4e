import { fieldOr, registerCommandNode } from './shared/command-node';
import { onFirstUse } from './shared/lazy';
import type * as Remote from '../lib/commands/remote';
import type { NodeMessage, RED } from './shared/red';

// loaded with the first message, not at Node-RED's start
const remoteCommands = onFirstUse<typeof Remote>('lib/commands/remote');

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
      return remoteCommands().buildRemoteCommand(
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
