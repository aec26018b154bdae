import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { cloneJson } from '../../api/json-clone.js';
import { parseGoDuration } from '../../api/duration.js';
import { isStatusError } from '../../api/errors/status.js';
import { parseSelector } from '../../api/labels/index.js';
import { formatQuantity, milliValue, tryParseQuantity } from '../../api/quantity.js';
import type { KubeObject, ResourceRegistry } from '../../api/registry/index.js';
import { DEFAULT_EPOCH_MS, parseRfc3339, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { ScalingHistory } from './normalize.js';
import { DEFAULT_CALCULATOR_OPTIONS, plainReplicas, resourceReplicas, type PodMetric } from './replica-calculator.js';
import { setCondition, unableToCompute } from './status.js';

/** --horizontal-pod-autoscaler-sync-period (15 s). */
const SYNC_PERIOD_MS = 15_000;
const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const messageOf = (e: unknown) => (isStatusError(e) ? e.status.message : e instanceof Error ? e.message : String(e));
const milliQuantity = (milli: number) => formatQuantity({ value: milli / 1000, format: 'DecimalSI' });

interface Scale {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
  [k: string]: unknown;
}

interface Proposal {
  replicas: number;
  metric: string;
  status: MetricStatus;
}

/**
 * The horizontal pod autoscaler (upstream pkg/controller/podautoscaler):
 * every 15 s per HPA, read the target's scale subresource, its pods, and
 * their usage from metrics.k8s.io; compute the replicas each metric wants;
 * stabilize and rate-limit the largest; write the scale and the HPA's
 * status, conditions and events as upstream words them.
 */
export class HorizontalPodAutoscalerController {
  private readonly hpas: Informer;
  private readonly pods: Informer;
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly histories = new Map<string, ScalingHistory>();
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly registry: ResourceRegistry,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.recorder = new EventRecorder(host, client, { component: 'horizontal-pod-autoscaler' }, { epochMs: this.epochMs });
    this.hpas = new Informer(host, client, { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.queue = new WorkQueue(host);
    this.hpas.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)), onDelete: (o) => this.histories.delete(keyOf(o)) });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.hpas.start();
    this.pods.start();
    this.queue.run(1, (key, done) => this.sync(key, done));
  }

  private now(): number {
    return this.epochMs + this.host.clock.now();
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const stored = this.hpas.get(ns, name) as HorizontalPodAutoscaler | undefined;
    if (stored === undefined) {
      this.histories.delete(key);
      return done();
    }
    const finish = (): void => {
      this.queue.addAfter(key, SYNC_PERIOD_MS);
      done();
    };
    if (stored.spec === undefined) return done();
    const hpa = cloneJson(stored) as HorizontalPodAutoscaler & { spec: NonNullable<HorizontalPodAutoscaler['spec']> };
    const original = JSON.stringify(stored.status ?? {});
    const ref = hpa.spec.scaleTargetRef;
    const [group, version] = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion!.split('/') as [string, string]) : ['', ref.apiVersion ?? 'v1'];
    const type = this.registry.forKind(ref.apiVersion ?? 'v1', ref.kind);
    const failedGetScale = (message: string): void => {
      this.recorder.event(hpa as unknown as KubeObject, 'Warning', 'FailedGetScale', message);
      setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`, this.now());
      this.writeStatus(hpa, original, finish);
    };
    if (type === undefined || !type.subresources.includes('scale')) return failedGetScale(`no matches for kind "${ref.kind}" in group "${group}"`);
    const target = { group, version, resource: type.resource, namespace: ns, name: ref.name, subresource: 'scale' };
    this.client.request({ verb: 'get', ...target }, (error, body) => {
      if (error !== null) return failedGetScale(messageOf(error));
      const scale = body as Scale;
      const now = this.now();
      setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now);
      const current = scale.spec?.replicas ?? 0;
      let history = this.histories.get(key);
      if (history === undefined) this.histories.set(key, (history = new ScalingHistory()));
      history.recordInitial(current, now);
      const min = hpa.spec.minReplicas ?? 1;
      const max = hpa.spec.maxReplicas;
      const decide = (desired: number, reason: string, statuses: MetricStatus[] | undefined, rescale: boolean): void => {
        if (!rescale) return this.setStatus(hpa, original, current, desired, statuses, false, finish);
        this.client.request({ verb: 'update', ...target, body: { ...scale, spec: { ...scale.spec, replicas: desired } } as KubeObject }, (updateError) => {
          const at = this.now();
          if (updateError !== null) {
            this.recorder.event(hpa as unknown as KubeObject, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${messageOf(updateError)}`);
            setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${messageOf(updateError)}`, at);
            return this.setStatus(hpa, original, current, hpa.status?.desiredReplicas ?? current, statuses, false, finish);
          }
          setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, at);
          this.recorder.event(hpa as unknown as KubeObject, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
          history.recordScale(current, desired, hpa.spec.behavior, at);
          this.setStatus(hpa, original, current, desired, statuses, true, finish);
        });
      };
      // upstream reconcileAutoscaler: a target scaled to zero disables autoscaling; out-of-range sizes are brought back first.
      if (current === 0 && min !== 0) {
        setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now);
        return decide(0, '', undefined, false);
      }
      if (current > max) return decide(max, 'Current number of replicas above Spec.MaxReplicas', undefined, true);
      if (current < min) return decide(min, 'Current number of replicas below Spec.MinReplicas', undefined, true);
      this.computeReplicasForMetrics(hpa, scale, current, (metricsError, proposal) => {
        const at = this.now();
        if (metricsError !== undefined) {
          this.recorder.event(hpa as unknown as KubeObject, 'Warning', 'FailedComputeMetricsReplicas', metricsError);
          return this.setStatus(hpa, original, current, hpa.status?.desiredReplicas ?? current, hpa.status?.currentMetrics ?? undefined, false, finish);
        }
        const { replicas, metric, statuses } = proposal!;
        const reason = replicas > current ? `${metric} above target` : replicas < current ? 'All metrics below target' : '';
        const normalized = hpa.spec.behavior === undefined ? history.normalize(current, replicas, min, max, at) : history.normalizeWithBehavior(current, replicas, min, max, hpa.spec.behavior, at);
        setCondition(hpa, 'AbleToScale', 'True', normalized.ableToScale.reason, normalized.ableToScale.message, at);
        setCondition(hpa, 'ScalingLimited', normalized.scalingLimited.status, normalized.scalingLimited.reason, normalized.scalingLimited.message, at);
        decide(normalized.desiredReplicas, reason, statuses, normalized.desiredReplicas !== current);
      });
    });
  }

  /**
   * Every metric's proposal (upstream computeReplicasForMetrics): the
   * largest wins; when every metric fails, or some fail and the rest would
   * scale down, nothing changes and the first failure is reported.
   */
  private computeReplicasForMetrics(hpa: HorizontalPodAutoscaler & { spec: NonNullable<HorizontalPodAutoscaler['spec']> }, scale: Scale, current: number, done: (error: string | undefined, result?: { replicas: number; metric: string; statuses: MetricStatus[] }) => void): void {
    const ns = hpa.metadata?.namespace ?? '';
    const selectorText = scale.status?.selector ?? '';
    const now = this.now();
    if (selectorText === '') {
      this.recorder.event(hpa as unknown as KubeObject, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", now);
      return done('selector is required');
    }
    const selector = parseSelector(selectorText);
    const pods = (this.pods.list() as Pod[]).filter((p) => p.metadata?.namespace === ns && selector.matches(p.metadata?.labels ?? {}));
    this.client.request({ verb: 'list', group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespace: ns, query: { labelSelector: selectorText } }, (error, body) => {
      const specs = hpa.spec.metrics ?? [];
      const statuses: MetricStatus[] = [];
      let best: Proposal | undefined;
      let invalid = 0;
      let firstError = '';
      let firstCondition: ReturnType<typeof unableToCompute> | undefined;
      for (const spec of specs) {
        try {
          const p = this.proposal(spec, current, pods, error, body, now);
          statuses.push(p.status);
          if (best === undefined || p.replicas > best.replicas) best = p;
        } catch (e) {
          const { reason, message, wrapped } = e as MetricError;
          this.recorder.event(hpa as unknown as KubeObject, 'Warning', reason, message);
          invalid++;
          if (firstCondition === undefined) {
            firstCondition = unableToCompute(reason, message);
            firstError = wrapped;
          }
        }
      }
      const at = this.now();
      if (invalid >= specs.length || (invalid > 0 && (best?.replicas ?? 0) < current)) {
        setCondition(hpa, firstCondition!.type, firstCondition!.status, firstCondition!.reason, firstCondition!.message, at);
        return done(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`);
      }
      setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best!.metric}`, at);
      done(undefined, { replicas: best!.replicas, metric: best!.metric, statuses });
    });
  }

  /** One metric's proposal (computeStatusForResourceMetric); failures carry upstream's event reason and texts. */
  private proposal(spec: MetricSpec, current: number, pods: Pod[], listError: unknown, list: KubeObject | undefined, now: number): Proposal {
    if (spec.type !== 'Resource' || spec.resource === undefined) {
      const kind = spec.type === 'Pods' ? 'Pods' : spec.type === 'Object' ? 'Object' : spec.type === 'External' ? 'External' : 'Resource';
      const message = `unable to get metric: no ${spec.type === 'External' ? 'external' : 'custom'} metrics API (${spec.type === 'External' ? 'external' : 'custom'}.metrics.k8s.io) registered`;
      throw new MetricError(`FailedGet${kind}Metric`, message, `failed to get ${spec.type} metric value: ${message}`);
    }
    const resource = spec.resource.name;
    const fail = (why: string): never => {
      const message = `failed to get ${resource} utilization: ${why}`;
      throw new MetricError('FailedGetResourceMetric', message, `failed to get ${resource} resource metric value: ${message}`);
    };
    const metrics = new Map<string, PodMetric>();
    if (listError !== null) fail(`unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${messageOf(listError)}`);
    const items = ((list as { items?: Array<{ metadata?: { name?: string }; timestamp?: string; window?: string; containers?: Array<{ usage?: Record<string, string> }> }> } | undefined)?.items) ?? [];
    if (items.length === 0) fail(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
    for (const m of items) {
      const containers = m.containers ?? [];
      const values = containers.map((c) => tryParseQuantity(c.usage?.[resource]));
      if (containers.length === 0 || values.some((v) => v === undefined)) continue;
      metrics.set(m.metadata?.name ?? '', { value: values.reduce((n, v) => n + milliValue(v!), 0), timestampMs: parseRfc3339(m.timestamp ?? rfc3339(now)), windowMs: parseGoDuration(m.window ?? '') ?? 0 });
    }
    const target = spec.resource.target;
    try {
      if (target.averageValue !== undefined) {
        const r = plainReplicas(current, milliValue(tryParseQuantity(target.averageValue) ?? { value: 0, format: 'DecimalSI' }), resource, pods, metrics, now, DEFAULT_CALCULATOR_OPTIONS);
        return { replicas: r.replicas, metric: `${resource} resource`, status: { type: 'Resource', resource: { name: resource, current: { averageValue: milliQuantity(r.rawUtilization) } } } };
      }
      if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither a utilization target nor a value target was set');
      const r = resourceReplicas(current, target.averageUtilization, resource, pods, metrics, now, DEFAULT_CALCULATOR_OPTIONS);
      return {
        replicas: r.replicas,
        metric: `${resource} resource utilization (percentage of request)`,
        status: { type: 'Resource', resource: { name: resource, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawUtilization) } } },
      };
    } catch (e) {
      if (e instanceof MetricError) throw e;
      return fail(messageOf(e));
    }
  }

  /** setStatus + updateStatusIfNeeded: write only what changed. */
  private setStatus(hpa: HorizontalPodAutoscaler, original: string, current: number, desired: number, metrics: MetricStatus[] | undefined, rescaled: boolean, done: () => void): void {
    const status = (hpa.status ??= { desiredReplicas: 0 });
    status.currentReplicas = current;
    status.desiredReplicas = desired;
    if (metrics !== undefined && metrics.length > 0) status.currentMetrics = metrics;
    if (rescaled) status.lastScaleTime = rfc3339(this.now());
    if (hpa.metadata?.generation !== undefined) status.observedGeneration = hpa.metadata.generation;
    this.writeStatus(hpa, original, done);
  }

  private writeStatus(hpa: HorizontalPodAutoscaler, original: string, done: () => void): void {
    if (JSON.stringify(hpa.status ?? {}) === original) return done();
    const meta = hpa.metadata ?? {};
    this.client.request({ verb: 'update', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: meta.namespace ?? '', name: meta.name ?? '', subresource: 'status', body: hpa as KubeObject }, () => done());
  }
}

/** A metric that could not be computed: the event reason, its message, and the text for FailedComputeMetricsReplicas. */
class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly wrapped: string,
  ) {
    super(message);
  }
}

