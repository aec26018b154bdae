import type { HostContext, StreamEnd } from '../../faults/index.js';
import { apiErrors } from '../errors/status.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { getObject, type Reply, type ServerContext } from './context.js';
import type { ApiRequest } from './request.js';

/** The kubelet's port (--port 10250). */
export const KUBELET_PORT = '10250';

/** What the API server asks a kubelet for (the kubelet API's /containerLogs). */
export interface KubeletLogRequest {
  kind: 'containerLogs';
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  timestamps?: boolean;
}

/** Run a command in a container (the kubelet API's /exec, CRI Exec): the output and exit code come back. */
export interface KubeletExecRequest {
  kind: 'exec';
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  command: string[];
  /** What the command reads on stdin (bytes, one char each). */
  stdin?: string;
  /** Instead of running a command: end the attached session of the container's interactive shell with this exit code. */
  endSession?: number;
}

/** An HTTP GET to a pod's port, delivered on its node (the API server's pods/proxy and services/proxy, port-forward). */
export interface KubeletHttpRequest {
  kind: 'http';
  namespace: string;
  pod: string;
  uid: string;
  port: number;
  path: string;
}

/** The kubelet's answer: the text (log or command output), an exit code for exec, or an error Status as the kubelet words it. */
export type KubeletLogResponse = { code: number; text?: string; exitCode?: number; status?: KubeObject; httpStatus?: number; stderr?: string; encoding?: 'latin1' };

/** Everything the API server asks a kubelet. */
export type KubeletRequest = KubeletLogRequest | KubeletExecRequest | KubeletHttpRequest;

/** How the API server reaches a node's kubelet. */
export type KubeletDialer = (node: string, request: KubeletRequest, done: (error: Error | null, response?: KubeletLogResponse) => void) => void;

/** A dialer over the simulated network: one stream per request to <node>:10250. */
export function networkKubeletDialer(host: HostContext): KubeletDialer {
  return (node, request, done) => {
    let answered = false;
    type Message = KubeletRequest | KubeletLogResponse;
    // An exec may run as long as its command does; the stream only breaks when the network does.
    const stream = host.net.connect<Message>(node, KUBELET_PORT, request.kind === 'exec' ? {} : { breakAfterMs: 10_000 }) as StreamEnd<Message>;
    stream.onMessage((m) => {
      answered = true;
      stream.close();
      done(null, m as KubeletLogResponse);
    });
    stream.onClose((reason) => {
      if (answered) return;
      const path = `https://${node}:${KUBELET_PORT}/${request.kind}/${request.namespace}/${request.pod}/${request.kind === 'http' ? request.port : request.container}`;
      const why = reason === 'refused' ? 'connect: connection refused' : reason === 'connect-timeout' ? 'i/o timeout' : 'http2: client connection lost';
      done(new Error(`Get "${path}": ${reason === 'refused' || reason === 'connect-timeout' ? `dial tcp ${node}:${KUBELET_PORT}: ` : ''}${why}`));
    });
    stream.send(request, 256);
  };
}

type PodSpecView = { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }>; ephemeralContainers?: Array<{ name: string }>; nodeName?: string };

/**
 * The container a log or exec request means (upstream pod strategy
 * LogLocation/ExecLocation): the one named, or the only one; else 400.
 */
export function podContainer(pod: KubeObject, requested: string | undefined, name: string): string {
  const spec = (pod['spec'] ?? {}) as PodSpecView;
  const containers = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  const all = [...containers, ...inits, ...(spec.ephemeralContainers ?? []).map((c) => c.name)];
  const container = requested;
  if (!container) {
    if (containers.length === 1) return containers[0]!;
    const more = inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw apiErrors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${more}`);
  }
  if (!all.includes(container)) throw apiErrors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/**
 * GET pods/<name>/log (upstream pkg/registry/core/pod/rest/log.go and
 * LogLocation): pick the container (required when the pod has several),
 * find the pod's node, and proxy to that node's kubelet.
 */
export function podLogs(ctx: ServerContext, type: ResourceType, req: ApiRequest, dial: KubeletDialer | undefined, reply: Reply): void {
  const name = req.name ?? '';
  const pod = getObject(ctx, type, req.namespace, name);
  const spec = (pod['spec'] ?? {}) as PodSpecView;
  const container = podContainer(pod, req.query?.container, name);
  if (!spec.nodeName) throw apiErrors.badRequest(`pod ${name} does not have a host assigned`);
  if (dial === undefined) throw apiErrors.internal('no route to kubelets from this API server');
  const q = req.query ?? {};
  dial(
    spec.nodeName,
    {
      kind: 'containerLogs',
      namespace: String(req.namespace),
      pod: name,
      uid: String(pod.metadata?.['uid'] ?? ''),
      container,
      ...(q.previous !== undefined && { previous: q.previous }),
      ...(q.tailLines !== undefined && { tailLines: q.tailLines }),
      ...(q.sinceSeconds !== undefined && { sinceSeconds: q.sinceSeconds }),
      ...(q.limitBytes !== undefined && { limitBytes: q.limitBytes }),
      ...(q.timestamps !== undefined && { timestamps: q.timestamps }),
    },
    (error, response) => {
      if (error) return reply(apiErrors.unknown(error.message));
      const message = String((response!.status as { message?: string } | undefined)?.message ?? 'kubelet error');
      // The kubelet's 400s (a container that is waiting, no previous instance) reach the client as BadRequest, as through kube-apiserver.
      if (response!.code === 400) return reply(apiErrors.badRequest(message));
      if (response!.code >= 400) return reply(apiErrors.unknown(message, response!.code));
      reply(null, { code: 200, body: { kind: 'Text', text: response!.text ?? '' }, text: response!.text ?? '' });
    },
  );
}
