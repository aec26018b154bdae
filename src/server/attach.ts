import type { WebSocket } from 'ws';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { execInPod, type ApiGateway, type IncomingRequest } from '../api/server/index.js';
import { endSessionInPod } from '../api/server/pod-exec.js';
import type { KubeObject } from '../api/registry/types.js';
import { interactiveExec } from './exec-stdin.js';
import { ERROR, frame, STDOUT } from './remote-command.js';

/** How often an attached container's output is read again, in real milliseconds. */
const ATTACH_POLL_MS = 100;

type Target = { namespace: string; name: string; container: string; authorization?: string };

function containerSpec(pod: KubeObject, name: string): Container | undefined {
  const spec = (pod as Pod).spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...((spec?.ephemeralContainers ?? []) as Container[])].find((c) => c.name === name);
}

/**
 * `kubectl attach` (pods/attach). A container that keeps stdin open
 * (`stdin: true`: `kubectl run -it`, `kubectl debug -it`) runs an
 * interactive shell: an attached `-i` client talks to it as `exec -it`
 * does, and when the session ends (`exit N`, Ctrl-D, or the client leaving
 * a `stdinOnce` container) the container exits with that code. Otherwise
 * what the container writes from now on goes out on stdout until it stops
 * (its output is its log: the runtime's attach and log share one stream),
 * and there is no stdin.
 */
export function attach(gateway: ApiGateway, pod: KubeObject, target: Target, options: { stdin: boolean; tty: boolean }, ws: WebSocket): void {
  const spec = containerSpec(pod, target.container);
  if (options.stdin && spec?.stdin === true) return interactive(gateway, pod, target.container, spec, options.tty, ws);
  follow(gateway, target, ws);
}

function interactive(gateway: ApiGateway, pod: KubeObject, container: string, spec: Container, tty: boolean, ws: WebSocket): void {
  const dial = gateway.api.kubeletDialer;
  let ended = false;
  const end = (exitCode: number, after: () => void) => {
    if (ended) return;
    ended = true;
    endSessionInPod(pod, container, exitCode, dial, after);
  };
  // The client leaving closes stdin: a stdinOnce container's shell reads its end and exits 0.
  ws.on('close', () => spec.stdinOnce === true && end(0, () => {}));
  interactiveExec(ws, ['sh'], tty, (cmd, reply) => execInPod(pod, container, cmd, dial, reply), (exitCode) =>
    end(exitCode, () => {
      if (ws.readyState !== ws.OPEN) return;
      // The kubelet's attach ends with Success whatever the exit code; kubectl reads that from the pod (`pod default/x terminated (Error)`).
      ws.send(frame(ERROR, JSON.stringify({ metadata: {}, status: 'Success' })));
      ws.close(1000);
    }),
  );
}

function follow(gateway: ApiGateway, target: Target, ws: WebSocket): void {
  const auth = target.authorization !== undefined ? { authorization: target.authorization } : {};
  const logs: IncomingRequest = { verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name, subresource: 'log', query: { container: target.container }, ...auth };
  const podRequest: IncomingRequest = { verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: target.namespace, name: target.name, ...auth };
  let offset: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  ws.on('close', () => timer !== undefined && clearTimeout(timer));
  const poll = (): void => {
    if (ws.readyState !== ws.OPEN) return;
    gateway.handleAsync(podRequest, (podError, podResponse) => {
      type Statuses = Array<{ name: string; state?: { running?: object } }>;
      const status = (podResponse?.body as { status?: { containerStatuses?: Statuses; initContainerStatuses?: Statuses; ephemeralContainerStatuses?: Statuses } } | undefined)?.status;
      const all = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? []), ...(status?.ephemeralContainerStatuses ?? [])];
      const running = podError === null && all.find((c) => c.name === target.container)?.state?.running !== undefined;
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
