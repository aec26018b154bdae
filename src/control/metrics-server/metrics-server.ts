import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { apiErrors } from '../../api/errors/status.js';
import { parseSelector } from '../../api/labels/index.js';
import { formatQuantity } from '../../api/quantity.js';
import { goDuration } from '../../api/duration.js';
import type { KubeObject } from '../../api/registry/index.js';
import { DEFAULT_EPOCH_MS, KUBELET_PORT, rfc3339, serveApiService, type ApiRequest, type ApiResponse } from '../../api/server/index.js';
import { Informer, type ApiClient } from '../../client/index.js';
import type { HostContext, StreamEnd } from '../../faults/index.js';
import type { ResourceMetricsRequest, ResourceMetricsResponse } from '../../kubelet/server/resource-metrics.js';
import { METRICS_SERVER_PORT } from './api.js';
import { MetricsStorage, type Usage } from './storage.js';

export interface MetricsServerOptions {
  /** --metric-resolution (default 15 s): how often every kubelet is scraped. */
  resolutionMs?: number;
  epochMs?: number;
}

const API_VERSION = 'metrics.k8s.io/v1beta1';

/** CPU as metrics-server prints it: nanocores (`2051183n`), in canonical form (`250m`). */
const cpu = (nanocores: number): string => formatQuantity({ value: nanocores / 1e9, format: 'DecimalSI' });
/** Memory as metrics-server prints it: BinarySI bytes (`11844Ki`). */
const memory = (bytes: number): string => formatQuantity({ value: Math.round(bytes), format: 'BinarySI' });
const usageOf = (u: Usage) => ({ cpu: cpu(u.nanocores), memory: memory(u.memoryBytes) });

/**
 * metrics-server (upstream sigs.k8s.io/metrics-server): every resolution it
 * scrapes every node's kubelet (/metrics/resource) over the network, keeps
 * the last two points, and serves NodeMetrics and PodMetrics as the
 * aggregated API metrics.k8s.io/v1beta1. A kubelet it cannot reach within
 * 90 % of the resolution has no metrics until the next good scrape.
 */
export class MetricsServer {
  readonly storage = new MetricsStorage();
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly resolutionMs: number;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    client: ApiClient,
    options: MetricsServerOptions = {},
  ) {
    this.resolutionMs = options.resolutionMs ?? 15_000;
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    host.onRestart(() => this.start());
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
    serveApiService(this.host, METRICS_SERVER_PORT, (req) => this.serve(req));
    this.host.after(this.resolutionMs, () => this.scrape());
  }

  /** One cycle: ask every node, wait up to 90 % of the resolution (upstream scrapeTimeout), store what came back. */
  private scrape(): void {
    const batch = new Map<string, ResourceMetricsResponse>();
    const names = this.nodes.list().map((n) => n.metadata?.name ?? '');
    const streams: Array<{ close(): void }> = [];
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const s of streams) s.close();
      this.storage.store(batch);
    };
    for (const name of names) {
      const stream = this.host.net.connect<ResourceMetricsRequest | ResourceMetricsResponse>(name, KUBELET_PORT) as StreamEnd<ResourceMetricsRequest | ResourceMetricsResponse>;
      streams.push(stream);
      stream.onMessage((m) => {
        if (finished) return;
        batch.set(name, m as ResourceMetricsResponse);
        stream.close();
        if (batch.size === names.length) finish();
      });
      stream.send({ kind: 'resourceMetrics' }, 128);
    }
    if (names.length === 0) finish();
    this.host.after(Math.floor(this.resolutionMs * 0.9), finish);
    this.host.after(this.resolutionMs, () => this.scrape());
  }

  private now(): string {
    return rfc3339(this.epochMs + this.host.clock.now());
  }

  /** GET/LIST nodes and pods of metrics.k8s.io/v1beta1. */
  serve(req: ApiRequest): ApiResponse {
    const selector = parseSelector(req.query?.labelSelector ?? '');
    if (req.resource === 'nodes') {
      if (req.verb === 'get') {
        const node = this.nodes.get(req.name ?? '') as Node | undefined;
        const item = node === undefined ? undefined : this.nodeMetrics(node);
        if (item === undefined) throw apiErrors.notFound({ group: 'metrics.k8s.io', resource: 'nodemetrics' }, req.name ?? '');
        return { code: 200, body: item };
      }
      const items = (this.nodes.list() as Node[]).filter((n) => selector.matches(n.metadata?.labels ?? {})).map((n) => this.nodeMetrics(n)).filter(present);
      return { code: 200, body: { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items: items.sort(byName) } };
    }
    if (req.verb === 'get') {
      const pod = this.pods.get(req.namespace ?? '', req.name ?? '') as Pod | undefined;
      const item = pod === undefined ? undefined : this.podMetrics(pod);
      if (item === undefined) throw apiErrors.notFound({ group: 'metrics.k8s.io', resource: 'podmetrics' }, req.name ?? '');
      return { code: 200, body: item };
    }
    const items = (this.pods.list() as Pod[])
      .filter((p) => (req.namespace === undefined || p.metadata?.namespace === req.namespace) && selector.matches(p.metadata?.labels ?? {}))
      .map((p) => this.podMetrics(p)).filter(present);
    return { code: 200, body: { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items: items.sort(byName) } };
  }

  private nodeMetrics(node: Node): KubeObject | undefined {
    const name = node.metadata?.name ?? '';
    const u = this.storage.node(name);
    if (u === undefined) return undefined;
    return {
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: { name, creationTimestamp: this.now(), ...(node.metadata?.labels !== undefined && { labels: node.metadata.labels }) },
      timestamp: rfc3339(u.timestampMs),
      window: goDuration(u.windowMs),
      usage: usageOf(u),
    };
  }

  private podMetrics(pod: Pod): KubeObject | undefined {
    const meta = pod.metadata ?? {};
    const containers = this.storage.pod(meta.namespace ?? '', meta.name ?? '');
    if (containers === undefined) return undefined;
    const first = containers[0]!.usage;
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: { name: meta.name, namespace: meta.namespace, creationTimestamp: this.now(), ...(meta.labels !== undefined && { labels: meta.labels }) },
      timestamp: rfc3339(first.timestampMs),
      window: goDuration(first.windowMs),
      containers: containers.map((c) => ({ name: c.name, usage: usageOf(c.usage) })),
    };
  }
}

const byName = (a: KubeObject, b: KubeObject): number => {
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

const present = (o: KubeObject | undefined): o is KubeObject => o !== undefined;
