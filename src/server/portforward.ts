import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiGateway } from '../api/server/index.js';
import { SpdyServerSession, type SpdyStream } from './spdy/session.js';

/** kubectl 1.32 tunnels SPDY through a WebSocket for port-forward (KEP-4006); older clients upgrade to SPDY directly. */
const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
// `ws` accepts only RFC 6455 tokens as subprotocols, and "/" is not one: the offer is renamed on the way in and
// the answer renamed back on the way out.
const TUNNEL_TOKEN = 'spdy-3.1-portforward.k8s.io';
const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(TUNNEL_TOKEN) ? TUNNEL_TOKEN : false) });
wss.on('headers', (headers) => {
  const i = headers.findIndex((h) => h.toLowerCase() === `sec-websocket-protocol: ${TUNNEL_TOKEN}`);
  if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`;
});

/**
 * Serve one port-forward session for a pod (upstream kubelet
 * portforward/httpstream.go): the client opens an error stream and a data
 * stream per connection (headers streamtype, port, requestid); what arrives
 * on the data stream is an HTTP request to the pod's port, which crosses the
 * simulated network to the pod's node; the container's answer goes back and
 * the stream ends. A closed port is reported on the error stream.
 */
function session(gateway: ApiGateway, pod: Pod, send: (b: Buffer) => void, close: () => void): SpdyServerSession {
  const errors = new Map<string, SpdyStream>();
  return new SpdyServerSession(
    send,
    (stream) => {
      const type = stream.headers.get('streamtype');
      const id = stream.headers.get('requestid') ?? String(stream.id);
      if (type === 'error') return void errors.set(id, stream);
      if (type !== 'data') return stream.end();
      const port = Number(stream.headers.get('port'));
      let request = '';
      let answered = false;
      stream.onData((d) => {
        request += d.toString('latin1');
        if (answered || !request.includes('\r\n\r\n')) return;
        answered = true;
        const path = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r\n/.exec(request)?.[1] ?? '/';
        const dial = gateway.api.kubeletDialer!;
        dial(pod.spec!.nodeName!, { kind: 'http', namespace: pod.metadata!.namespace!, pod: pod.metadata!.name!, uid: pod.metadata!.uid!, port, path }, (error, response) => {
          if (error !== null || response!.code !== 200) {
            const why = error?.message ?? 'dial tcp4 127.0.0.1:' + port + ': connect: connection refused';
            errors.get(id)?.write(`error forwarding port ${port} to pod ${pod.metadata!.uid}, uid : failed to connect to localhost:${port} inside the pod's network namespace: ${why}`);
            errors.get(id)?.end();
            return stream.end();
          }
          const body = Buffer.from(response!.text ?? '');
          const status = response!.httpStatus ?? 200;
          stream.write(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Status'}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
          stream.write(body);
          stream.end();
          errors.get(id)?.end();
        });
      });
    },
    close,
  );
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** The pods/portforward upgrade, once the request is authorized and the pod found (see exec.ts for the checks). */
export function upgradePortForward(gateway: ApiGateway, pod: Pod, req: IncomingMessage, socket: Duplex, head: Buffer, refuse: (status: object) => void): void {
  const upgrade = String(req.headers['upgrade'] ?? '').toLowerCase();
  if (pod.status?.phase !== 'Running' || pod.spec?.nodeName === undefined) {
    return refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pod ${pod.metadata?.name} is not running (phase ${pod.status?.phase ?? 'Pending'})`, reason: 'BadRequest', code: 400 });
  }
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(TUNNEL_PROTOCOL)) return refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `port-forward over WebSocket needs the ${TUNNEL_PROTOCOL} subprotocol`, reason: 'BadRequest', code: 400 });
    req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
    return wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const s = session(gateway, pod, (b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }), () => ws.close());
      ws.on('message', (m: Buffer) => s.receive(m));
      ws.on('close', () => s.close());
    });
  }
  if (upgrade.startsWith('spdy/3.1')) {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    const s = session(gateway, pod, (b) => socket.writable && socket.write(b), () => socket.end());
    if (head.length > 0) s.receive(head);
    socket.on('data', (d: Buffer) => s.receive(d));
    socket.on('close', () => s.close());
    return;
  }
  refuse({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'port-forward needs a WebSocket or SPDY/3.1 upgrade', reason: 'BadRequest', code: 400 });
}
