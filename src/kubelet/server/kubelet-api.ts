import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceMetricsResponse } from './resource-metrics.js';

/** A GET of the kubelet's own HTTP API, as the API server's nodes/<name>/proxy/<path> forwards it. */
export interface KubeletApiRequest {
  kind: 'kubeletApi';
  path: string;
}

export interface KubeletApiResponse {
  code: number;
  httpStatus: number;
  text: string;
  contentType: string;
}

export interface KubeletApiView {
  pods(): Pod[];
  metrics(): ResourceMetricsResponse;
  config(): Record<string, unknown>;
}

const seconds = (ns: number) => (ns / 1e9).toFixed(9).replace(/\.?0+$/, '');

/** /metrics/resource in the Prometheus text format (pkg/kubelet/metrics/collectors/resource_metrics.go). */
export function resourceMetricsText(m: ResourceMetricsResponse): string {
  const lines: string[] = [];
  const family = (name: string, help: string, type: string, samples: string[]) => lines.push(`# HELP ${name} [STABLE] ${help}`, `# TYPE ${name} ${type}`, ...samples);
  const labels = (c: { container: string; namespace: string; pod: string }) => `{container="${c.container}",namespace="${c.namespace}",pod="${c.pod}"}`;
  family('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the container in core-seconds', 'counter', m.containers.map((c) => `container_cpu_usage_seconds_total${labels(c)} ${seconds(c.cpuUsageCoreNanoSeconds)} ${c.timestampMs}`));
  family('container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge', m.containers.map((c) => `container_memory_working_set_bytes${labels(c)} ${c.memoryWorkingSetBytes} ${c.timestampMs}`));
  family('container_start_time_seconds', 'Start time of the container since unix epoch in seconds', 'gauge', m.containers.map((c) => `container_start_time_seconds${labels(c)} ${c.startTimeMs / 1000} ${c.timestampMs}`));
  family('node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter', [`node_cpu_usage_seconds_total ${seconds(m.node.cpuUsageCoreNanoSeconds)} ${m.node.timestampMs}`]);
  family('node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge', [`node_memory_working_set_bytes ${m.node.memoryWorkingSetBytes} ${m.node.timestampMs}`]);
  lines.push('# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise', '# TYPE scrape_error gauge', 'scrape_error 0');
  return `${lines.join('\n')}\n`;
}

/**
 * The kubelet's HTTP API (pkg/kubelet/server/server.go), the read-only part
 * people reach through `kubectl get --raw /api/v1/nodes/<node>/proxy/…`:
 * /healthz, /pods, /configz and /metrics/resource. Anything else is the Go
 * mux's 404.
 */
export function serveKubeletApi(request: KubeletApiRequest, view: KubeletApiView): KubeletApiResponse {
  const path = request.path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const json = (o: unknown): KubeletApiResponse => ({ code: 200, httpStatus: 200, text: JSON.stringify(o), contentType: 'application/json' });
  switch (path) {
    case '/healthz':
      return { code: 200, httpStatus: 200, text: 'ok', contentType: 'text/plain; charset=utf-8' };
    case '/pods':
      return json({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: view.pods() });
    case '/configz':
      return json({ kubeletconfig: view.config() });
    case '/metrics/resource':
      return { code: 200, httpStatus: 200, text: resourceMetricsText(view.metrics()), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
    default:
      return { code: 200, httpStatus: 404, text: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
  }
}
