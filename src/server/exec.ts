import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isStatusError } from '../api/errors/status.js';
import { execInPod, podContainer, type ApiGateway } from '../api/server/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { parsePath, requestUrl } from './routes.js';
import { upgradePortForward } from './portforward.js';
import { attach } from './attach.js';
import { ERROR, exitStatus, frame, STDERR, STDOUT } from './remote-command.js';
import { interactiveExec } from './exec-stdin.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The remote-command subprotocols kubectl 1.32 offers over WebSocket, newest first (v5 adds the close channel). */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });



function refuse(socket: Duplex, status: { code?: number }): void {
  const code = status.code ?? 500;
  const text = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

const notFound = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 };

/**
 * `kubectl exec` (pods/exec): authenticate, authorize `create pods/exec`,
 * find the pod and container, then — over WebSocket with the
 * v5/v4.channel.k8s.io subprotocols — run the command in the simulated
 * container through its kubelet, send its output on stdout and the exit
 * status on the error channel, and close. Refusals before the upgrade are
 * plain HTTP answers with a Status, which kubectl prints as "unable to
 * upgrade connection: …". SPDY (kubectl's fallback) is refused with a Status
 * saying so: kubectl 1.32 only falls back when the WebSocket upgrade fails.
 */
export function handleExecUpgrade(gateway: ApiGateway, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = requestUrl(req);
  const route = parsePath(url.pathname.replace(/\/+$/, ''));
  const subresource = route?.subresource;
  if (route?.resource !== 'pods' || (subresource !== 'exec' && subresource !== 'portforward' && subresource !== 'attach') || route.name === undefined || route.group !== '') return refuse(socket, notFound);
  const command = url.searchParams.getAll('command');
  const namespace = route.namespace ?? 'default';
  const name = route.name;
  const authorization = req.headers['authorization'];
  let pod: KubeObject;
  let container: string;
  try {
    const base = { group: '', version: 'v1', resource: 'pods', namespace, name, ...(authorization !== undefined && { authorization }) };
    // Authorized as `create` on pods/exec, as kube-apiserver 1.32 does for WebSocket upgrades (AuthorizePodWebsocketUpgradeCreatePermission).
    const admitted = gateway.admit({ ...base, verb: 'create', subresource });
    const { subresource: _s, ...lookup } = admitted;
    pod = gateway.api.handle({ ...lookup, verb: 'get' }).body as KubeObject;
    if (subresource === 'portforward') return upgradePortForward(gateway, pod as Pod, req, socket, head, (status) => refuse(socket, status));
    container = podContainer(pod, url.searchParams.get('container') ?? undefined, name);
  } catch (e) {
    return refuse(socket, isStatusError(e) ? e.status : { code: 500 });
  }
  if (!/websocket/i.test(String(req.headers['upgrade'] ?? ''))) {
    return refuse(socket, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `this server streams ${subresource} over WebSocket (v5.channel.k8s.io) only; SPDY is not supported`, reason: 'BadRequest', code: 400 } as never);
  }
  const stdin = url.searchParams.get('stdin') === 'true' || url.searchParams.get('stdin') === '1';
  const tty = url.searchParams.get('tty') === 'true' || url.searchParams.get('tty') === '1';
  if (subresource === 'attach') return wss.handleUpgrade(req, socket, head, (ws: WebSocket) => attach(gateway, pod, { namespace, name, container, ...(authorization !== undefined && { authorization }) }, { stdin, tty }, ws));
  if (command.length === 0) return refuse(socket, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'you must specify at least 1 command', reason: 'BadRequest', code: 400 } as never);
  if (stdin) {
    return wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      let done = false;
      interactiveExec(ws, command, tty, (cmd, reply, input) => execInPod(pod, container, cmd, gateway.api.kubeletDialer, reply, input), (exitCode, error) => {
        if (done || ws.readyState !== ws.OPEN) return;
        done = true;
        const status = error !== undefined && error !== null ? (isStatusError(error) ? { ...error.status, kind: undefined, apiVersion: undefined } : { status: 'Failure', message: String(error) }) : exitStatus(command, exitCode);
        ws.send(frame(ERROR, JSON.stringify(status)));
        ws.close(1000);
      });
    });
  }
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    execInPod(pod, container, command, gateway.api.kubeletDialer, (error, result) => {
      if (ws.readyState !== ws.OPEN) return;
      if (error !== null) ws.send(frame(ERROR, JSON.stringify(isStatusError(error) ? { ...error.status, kind: undefined, apiVersion: undefined } : { status: 'Failure', message: String(error) })));
      else {
        // Messages come before the data they interrupt (tar reports a missing file before it ends the archive).
        if (result!.stderr) ws.send(frame(STDERR, result!.stderr));
        if (result!.output !== '') ws.send(Buffer.concat([Buffer.from([STDOUT]), Buffer.from(result!.output, result!.encoding ?? 'utf8')]));
        ws.send(frame(ERROR, JSON.stringify(exitStatus(command, result!.exitCode))));
      }
      ws.close(1000);
    });
  });
}
