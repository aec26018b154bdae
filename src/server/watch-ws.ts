import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isStatusError } from '../api/errors/status.js';
import type { ApiGateway, IncomingRequest } from '../api/server/index.js';
import { parsePath, queryOf, requestUrl } from './routes.js';

const wss = new WebSocketServer({ noServer: true });

function refuse(socket: Duplex, status: { code?: number }): void {
  const text = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${status.code ?? 500} Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** Is this upgrade a watch (?watch=true on a collection or an object)? */
export function isWatchUpgrade(req: IncomingMessage): boolean {
  const url = requestUrl(req);
  return url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
}

/**
 * A watch over WebSocket, for clients that ask for one (browsers,
 * dashboards; upstream endpoints/handlers/watch.go HandleWS): each event is
 * one text message, the same JSON a chunked watch sends on a line.
 * Authentication, authorization and errors are as for any watch; a refusal
 * comes before the upgrade, with its Status.
 */
export function upgradeWatch(gateway: ApiGateway, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = requestUrl(req);
  const route = parsePath(url.pathname.replace(/\/+$/, ''));
  if (route?.resource === undefined) return refuse(socket, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 } as never);
  const { watch: _w, follow: _f, timeoutSeconds: _t, ...query } = queryOf(url.searchParams);
  const incoming: IncomingRequest = {
    verb: 'watch',
    group: route.group,
    version: route.version,
    resource: route.resource,
    ...(route.namespace !== undefined && { namespace: route.namespace }),
    ...(route.name !== undefined && { name: route.name }),
    query,
    ...(req.headers['authorization'] !== undefined && { authorization: req.headers['authorization'] }),
  };
  const pending: string[] = [];
  let ws: WebSocket | undefined;
  let handle: { stop(): void };
  try {
    handle = gateway.watch(incoming, (event) => {
      const text = JSON.stringify({ type: event.type, object: event.object });
      if (ws === undefined) pending.push(text);
      else if (ws.readyState === ws.OPEN) ws.send(text);
    });
  } catch (e) {
    return refuse(socket, isStatusError(e) ? e.status : { code: 500 });
  }
  wss.handleUpgrade(req, socket, head, (open: WebSocket) => {
    ws = open;
    for (const text of pending.splice(0)) open.send(text);
    open.on('close', () => handle.stop());
  });
}
