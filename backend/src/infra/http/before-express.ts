import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves a hot route's usual case before Express and Nest: `take` answers the request itself and returns true, or
 * returns false and the request goes to the listeners installed so far (the full route). `take` may also hand the
 * request on later through the `full` listener it receives (after reading the body, for instance).
 */
export function installBeforeExpress(server: Server, take: (req: IncomingMessage, res: ServerResponse, full: RequestListener) => boolean): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const full: RequestListener = (req, res) => {
    for (const listener of listeners) listener.call(server, req, res);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!take(req, res, full)) full(req, res);
  });
}
