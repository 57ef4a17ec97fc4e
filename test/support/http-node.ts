// node-red-node-test-helper gives every load a new RED.httpNode app and serves none of them. This
// serves the current one on loopback, as Node-RED's own HTTP server would, so phones can reach it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let current: Handler | undefined;

/** Wrap a node module so the RED.httpNode app it is given becomes the one the server serves. */
export function servingHttpNode(mod: (RED: any) => unknown): (RED: any) => unknown {
  return (RED) => {
    current = RED.httpNode;
    return mod(RED);
  };
}

export interface HttpNodeServer {
  url: string;
  close(): Promise<void>;
}

/** `onRequest` sees every request first (e.g. to note when the answer was finished). */
export async function startHttpNodeServer(onRequest?: Handler): Promise<HttpNodeServer> {
  const server = http.createServer((req, res) => {
    onRequest?.(req, res);
    if (current) current(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
