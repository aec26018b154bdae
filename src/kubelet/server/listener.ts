import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatQuantity } from '../../api/quantity.js';
import { KUBELET_PORT, type KubeletExecRequest, type KubeletHttpRequest, type KubeletLogRequest, type KubeletLogResponse } from '../../api/server/index.js';
import type { HostContext, StreamEnd } from '../../faults/index.js';
import type { ParsedEvictionConfig } from '../eviction/thresholds.js';
import type { PodWorker } from '../pod-worker.js';
import { serveKubeletApi, type KubeletApiRequest, type KubeletApiView } from './kubelet-api.js';
import { containerLogs } from './logs.js';
import { resourceMetrics, type ResourceMetricsRequest, type ResourceMetricsResponse } from './resource-metrics.js';

/** A pod as the kubelet's server sees it. */
export interface ServedPod {
  pod: Pod;
  worker: PodWorker;
  ip?: string | undefined;
}

/** What the kubelet's server reads from its kubelet. */
export interface KubeletServerDeps {
  host: HostContext;
  pods(): Iterable<ServedPod>;
  podCount(): number;
  byUid(uid: string): ServedPod | undefined;
  /** The node's wall clock (the runtime's). */
  nowMs(): number;
  nodeCpuCoreNanoSeconds(): number;
  eviction: ParsedEvictionConfig;
}

type Request = KubeletLogRequest | KubeletExecRequest | KubeletHttpRequest | ResourceMetricsRequest | KubeletApiRequest;

/**
 * The kubelet's server on port 10250 (pkg/kubelet/server/server.go), over
 * the simulated network: container logs, exec, HTTP to a pod's port, the
 * resource metrics metrics-server scrapes, and the read-only API that
 * nodes/<node>/proxy reaches.
 */
export function listenKubeletApi(deps: KubeletServerDeps): void {
  const { host } = deps;
  const find = (r: { uid: string; namespace: string; pod: string }) =>
    deps.byUid(r.uid) ?? [...deps.pods()].find((e) => e.pod.metadata?.namespace === r.namespace && e.pod.metadata?.name === r.pod);
  const metrics = () => resourceMetrics(deps.pods(), deps.nodeCpuCoreNanoSeconds(), deps.nowMs(), host.clock.monotonic());
  host.net.listen<Request>(KUBELET_PORT, (stream) => {
    const s = stream as unknown as StreamEnd<Request | KubeletLogResponse | ResourceMetricsResponse>;
    s.onMessage((m) => {
      const request = m as Request;
      const send = (response: KubeletLogResponse) => s.send(response, 256 + (response.text?.length ?? 0));
      if (request.kind === 'http') return serveHttp(find(request), request, host, send);
      if (request.kind === 'exec') return serveExec(find(request), request, host, send);
      if (request.kind === 'kubeletApi') {
        const response = serveKubeletApi(request, apiView(deps, metrics));
        return s.send(response, 256 + response.text.length);
      }
      if (request.kind === 'resourceMetrics') return s.send(metrics(), 256 + 128 * deps.podCount());
      const entry = find(request);
      if (entry === undefined) return s.send({ code: 404, status: { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `pod "${request.pod}" not found` } }, 1024);
      s.send(containerLogs(entry.worker, request.pod, request, deps.nowMs()), 1024);
    });
  });
}

/** What the kubelet's HTTP API shows: its pods, its resource metrics and its configuration. */
function apiView(deps: KubeletServerDeps, metrics: () => ResourceMetricsResponse): KubeletApiView {
  const e = deps.eviction;
  return {
    pods: () => [...deps.pods()].map((p) => p.pod),
    metrics,
    config: () => ({
      kind: 'KubeletConfiguration',
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      evictionHard: Object.fromEntries(e.thresholds.filter((t) => t.hard).map((t) => [t.signal, t.fraction !== undefined ? `${Math.round(t.fraction * 100)}%` : formatQuantity({ value: t.quantity ?? 0, format: t.format })])),
      evictionPressureTransitionPeriod: `${e.pressureTransitionMs / 60_000}m0s`,
      evictionMaxPodGracePeriod: e.maxPodGracePeriodSeconds,
    }),
  };
}

/**
 * An HTTP request to a pod's port, arriving on this node (the pod network
 * delivers to the pod's IP here): the container listening on the port
 * answers after its latency; nothing listening is "connection refused".
 */
function serveHttp(entry: ServedPod | undefined, request: KubeletHttpRequest, host: HostContext, answer: (response: KubeletLogResponse) => void): void {
  const listening = entry?.worker.slots.map((s) => s.current?.main).find((p) => p !== undefined && p.listening(request.port));
  const reply = listening?.http(request.port, request.path);
  if (entry === undefined || reply === undefined) {
    const message = `dial tcp ${entry?.ip ?? request.pod}:${request.port}: connect: connection refused`;
    return answer({ code: 503, status: { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', code: 503, message } });
  }
  host.after(Math.max(0, reply.latencyMs), () => answer({ code: 200, httpStatus: reply.status, text: reply.body ?? '' }));
}

/**
 * The kubelet API's /exec (upstream server.go getExec, then the CRI's Exec):
 * run the command in the running container, in virtual time, and answer
 * with its output and exit code; 404 when there is no such running container.
 * `endSession` ends an attached session of an interactive shell instead.
 */
function serveExec(entry: ServedPod | undefined, request: KubeletExecRequest, host: HostContext, answer: (response: KubeletLogResponse) => void): void {
  const process = entry?.worker.slots.find((s) => s.spec.name === request.container)?.current?.main;
  // kubelet GetExec → ResolveContainerID / the runtime: a container that is not running cannot be entered.
  if (process === undefined) return answer({ code: 404, status: { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `container not found (${JSON.stringify(request.container)})` } });
  if (request.endSession !== undefined) {
    process.endSession?.(request.endSession);
    return answer({ code: 200, text: '', exitCode: request.endSession });
  }
  const run = process.exec(request.command, request.stdin);
  const step = (): void => {
    const r = run.next();
    if (r.done) return answer({ code: 200, text: r.value.output, exitCode: r.value.exitCode, ...(r.value.stderr !== undefined && { stderr: r.value.stderr }), ...(r.value.encoding !== undefined && { encoding: r.value.encoding }) });
    host.after(Math.max(1, r.value.sleepMs), step);
  };
  step();
}
