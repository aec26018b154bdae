import type { ContainerSample, ResourceMetricsResponse, UsageSample } from '../../kubelet/server/resource-metrics.js';

/** A usage over a window: CPU as nanocores, memory as working-set bytes. */
export interface Usage {
  nanocores: number;
  memoryBytes: number;
  timestampMs: number;
  windowMs: number;
}

interface Point {
  cpu: number;
  memory: number;
  timestampMs: number;
  startTimeMs: number;
}

interface Series {
  prev?: Point;
  last: Point;
}

const point = (s: UsageSample, startTimeMs = 0): Point => ({ cpu: s.cpuUsageCoreNanoSeconds, memory: s.memoryWorkingSetBytes, timestampMs: s.timestampMs, startTimeMs });

/** A rate from two points of one counter; undefined when it cannot be computed (no earlier point, a counter that went back). */
function usage(series: Series | undefined): Usage | undefined {
  if (series?.prev === undefined) return undefined;
  const { prev, last } = series;
  const windowMs = last.timestampMs - prev.timestampMs;
  if (windowMs <= 0 || last.cpu < prev.cpu) return undefined;
  return { nanocores: Math.round((last.cpu - prev.cpu) / (windowMs / 1000)), memoryBytes: last.memory, timestampMs: last.timestampMs, windowMs };
}

/**
 * metrics-server's storage (upstream sigs.k8s.io/metrics-server
 * pkg/storage): the last two scrapes of every node and container; a rate
 * needs both. Each scrape cycle replaces the whole batch, so a node that was
 * not reached in the last cycle has no metrics until it is again. A new
 * container started after the previous scrape counts from its start time
 * with zero usage, so its metrics appear after one scrape.
 */
export class MetricsStorage {
  private nodes = new Map<string, Series>();
  private containers = new Map<string, Map<string, Series>>();

  /** Store one cycle's answers, by node name. */
  store(batch: ReadonlyMap<string, ResourceMetricsResponse>): void {
    const nodes = new Map<string, Series>();
    const containers = new Map<string, Map<string, Series>>();
    for (const [name, answer] of batch) {
      const last = point(answer.node);
      const old = this.nodes.get(name);
      nodes.set(name, { last, ...(old !== undefined && old.last.timestampMs < last.timestampMs && { prev: old.last }) });
      for (const c of answer.containers) this.storeContainer(c, old?.last.timestampMs, containers);
    }
    this.nodes = nodes;
    this.containers = containers;
  }

  private storeContainer(c: ContainerSample, previousScrapeMs: number | undefined, into: Map<string, Map<string, Series>>): void {
    const podKey = `${c.namespace}/${c.pod}`;
    const last = point(c, c.startTimeMs);
    const old = this.containers.get(podKey)?.get(c.container);
    let prev: Point | undefined;
    if (old !== undefined && old.last.startTimeMs === c.startTimeMs && old.last.timestampMs < last.timestampMs) prev = old.last;
    else if (old !== undefined && old.last.startTimeMs === c.startTimeMs) prev = old.prev;
    else if (previousScrapeMs !== undefined && c.startTimeMs > previousScrapeMs && c.startTimeMs < c.timestampMs) prev = { cpu: 0, memory: 0, timestampMs: c.startTimeMs, startTimeMs: c.startTimeMs };
    let pod = into.get(podKey);
    if (pod === undefined) into.set(podKey, (pod = new Map()));
    pod.set(c.container, { last, ...(prev !== undefined && { prev }) });
  }

  node(name: string): Usage | undefined {
    return usage(this.nodes.get(name));
  }

  /** A pod's containers' usage, only when every container it reported has a rate (as metrics-server serves pods). */
  pod(namespace: string, name: string): Array<{ name: string; usage: Usage }> | undefined {
    const pod = this.containers.get(`${namespace}/${name}`);
    if (pod === undefined || pod.size === 0) return undefined;
    const out: Array<{ name: string; usage: Usage }> = [];
    for (const [container, series] of pod) {
      const u = usage(series);
      if (u === undefined) return undefined;
      out.push({ name: container, usage: u });
    }
    return out;
  }
}
