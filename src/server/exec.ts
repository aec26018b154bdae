import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isStatusError } from '../api/errors/status.js';
import { execInPod, podContainer, type ApiGateway, type IncomingRequest } from '../api/server/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { parsePath, requestUrl } from './routes.js';
import { upgradePortForward } from './portforward.js';
import { interactiveExec } from './exec-stdin.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The remote-command subprotocols kubectl 1.32 offers over WebSocket, newest first (v5 adds the close channel). */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const ERROR = 3;
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });

function frame(channel: number, data: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(data)]);
}

/**
 * The status on the error channel when the command ends (upstream
 * remotecommand v4 writeStatus; StatusCause.Type is JSON "reason"): client-go turns NonZeroExitCode with an
 * ExitCode cause into "command terminated with exit code N" and kubectl exits N.
 */
export function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

function refuse(socket: Duplex, status: { code?: number }): void {
  const code = status.code ?? 500;
  const text = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** How often an attached container's output is read again, in real milliseconds. */
const ATTACH_POLL_MS = 100;

/**
 * `kubectl attach` (pods/attach): what the container writes from now on goes
 * out on stdout as it is written, until the container stops; then a Success
 * status on the error channel, and the stream closes. The container's
 * output is its log (the runtime's attach and log share the same stream).
 * There is no stdin: an attached `-i` client can read but not write.
 */
function attach(gateway: ApiGateway, target: { namespace: string; name: string; container: string; authorization?: string }, ws: WebSocket): void {
  const logs: IncomingRequest = { verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name, subresource: 'log', query: { container: target.container }, ...(target.authorization !== undefined && { authorization: target.authorization }) };
  const podRequest: IncomingRequest = { verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name, ...(target.authorization !== undefined && { authorization: target.authorization }) };
  let offset: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  ws.on('close', () => timer !== undefined && clearTimeout(timer));
  const poll = (): void => {
    if (ws.readyState !== ws.OPEN) return;
    gateway.handleAsync(podRequest, (podError, podResponse) => {
      const statuses = (podResponse?.body as { status?: { containerStatuses?: Array<{ name: string; state?: { running?: object } }> } } | undefined)?.status?.containerStatuses ?? [];
      const running = podError === null && statuses.find((c) => c.name === target.container)?.state?.running !== undefined;
      gateway.handleAsync(logs, (error, response) => {
        if (ws.readyState !== ws.OPEN) return;
        const text = error === null ? (response!.text ?? '') : '';
        if (offset !== undefined && text.length > offset) ws.send(frame(STDOUT, text.slice(offset)));
        offset = Math.max(offset ?? 0, text.length);
        if (!running) {
          ws.send(frame(ERROR, JSON.stringify({ metadata: {}, status: 'Success' })));
          return ws.close(1000);
        }
        timer = setTimeout(poll, ATTACH_POLL_MS);
      });
    });
  };
  poll();
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
  if (subresource === 'attach') return wss.handleUpgrade(req, socket, head, (ws: WebSocket) => attach(gateway, { namespace, name, container, ...(authorization !== undefined && { authorization }) }, ws));
  if (command.length === 0) return refuse(socket, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'you must specify at least 1 command', reason: 'BadRequest', code: 400 } as never);
  const stdin = url.searchParams.get('stdin') === 'true' || url.searchParams.get('stdin') === '1';
  const tty = url.searchParams.get('tty') === 'true' || url.searchParams.get('tty') === '1';
  if (stdin) {
    return wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      let done = false;
      interactiveExec(ws, command, tty, (cmd, reply) => execInPod(pod, container, cmd, gateway.api.kubeletDialer, reply), (exitCode, error) => {
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
        if (result!.output !== '') ws.send(frame(STDOUT, result!.output));
        ws.send(frame(ERROR, JSON.stringify(exitStatus(command, result!.exitCode))));
      }
      ws.close(1000);
    });
  });
}
