import type { KubeObject, VersionConversion } from '../registry/types.js';

/**
 * autoscaling/v1 HorizontalPodAutoscaler, served from the autoscaling/v2
 * objects (pkg/apis/autoscaling/v1/conversion.go): v1 has only a CPU
 * utilization target; every other metric, the current metrics, the
 * conditions and the behavior travel in annotations so nothing is lost on
 * a round trip.
 */
export const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

type Any = Record<string, any>;
const compact = (o: Any): Any => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const isCpuUtilization = (m: Any) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;

/** A v2 MetricSpec as autoscaling/v1's MetricSpec (the v2beta1 shape). */
function specToV1(m: Any): Any {
  const t = (m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external ?? {}).target ?? {};
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: compact({ name: m.resource.name, targetAverageUtilization: t.averageUtilization, targetAverageValue: t.averageValue }) };
    case 'ContainerResource':
      return { type: 'ContainerResource', containerResource: compact({ name: m.containerResource.name, container: m.containerResource.container, targetAverageUtilization: t.averageUtilization, targetAverageValue: t.averageValue }) };
    case 'Pods':
      return { type: 'Pods', pods: compact({ metricName: m.pods.metric?.name, selector: m.pods.metric?.selector, targetAverageValue: t.averageValue }) };
    case 'Object':
      return { type: 'Object', object: compact({ target: m.object.describedObject, metricName: m.object.metric?.name, selector: m.object.metric?.selector, targetValue: t.value, averageValue: t.averageValue }) };
    case 'External':
      return { type: 'External', external: compact({ metricName: m.external.metric?.name, metricSelector: m.external.metric?.selector, targetValue: t.value, targetAverageValue: t.averageValue }) };
    default:
      return m;
  }
}

function specFromV1(m: Any): Any {
  const target = (value: unknown, average: unknown, utilization?: unknown) =>
    compact({ type: utilization !== undefined ? 'Utilization' : value !== undefined ? 'Value' : 'AverageValue', averageUtilization: utilization, value, averageValue: average });
  const metric = (name: unknown, selector: unknown) => compact({ name, selector });
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: { name: m.resource?.name, target: target(undefined, m.resource?.targetAverageValue, m.resource?.targetAverageUtilization) } };
    case 'ContainerResource':
      return { type: 'ContainerResource', containerResource: { name: m.containerResource?.name, container: m.containerResource?.container, target: target(undefined, m.containerResource?.targetAverageValue, m.containerResource?.targetAverageUtilization) } };
    case 'Pods':
      return { type: 'Pods', pods: { metric: metric(m.pods?.metricName, m.pods?.selector), target: target(undefined, m.pods?.targetAverageValue) } };
    case 'Object':
      return { type: 'Object', object: { describedObject: m.object?.target, metric: metric(m.object?.metricName, m.object?.selector), target: target(m.object?.targetValue, m.object?.averageValue) } };
    case 'External':
      return { type: 'External', external: { metric: metric(m.external?.metricName, m.external?.metricSelector), target: target(m.external?.targetValue, m.external?.targetAverageValue) } };
    default:
      return m;
  }
}

/** A v2 MetricStatus as v1's. */
function statusToV1(m: Any): Any {
  const c = (m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external ?? {}).current ?? {};
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: compact({ name: m.resource.name, currentAverageUtilization: c.averageUtilization, currentAverageValue: c.averageValue }) };
    case 'Pods':
      return { type: 'Pods', pods: compact({ metricName: m.pods.metric?.name, selector: m.pods.metric?.selector, currentAverageValue: c.averageValue }) };
    case 'Object':
      return { type: 'Object', object: compact({ target: m.object.describedObject, metricName: m.object.metric?.name, selector: m.object.metric?.selector, currentValue: c.value, averageValue: c.averageValue }) };
    case 'External':
      return { type: 'External', external: compact({ metricName: m.external.metric?.name, metricSelector: m.external.metric?.selector, currentValue: c.value, currentAverageValue: c.averageValue }) };
    default:
      return m;
  }
}

function statusFromV1(m: Any): Any {
  const metric = (name: unknown, selector: unknown) => compact({ name, selector });
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: { name: m.resource?.name, current: compact({ averageUtilization: m.resource?.currentAverageUtilization, averageValue: m.resource?.currentAverageValue }) } };
    case 'Pods':
      return { type: 'Pods', pods: { metric: metric(m.pods?.metricName, m.pods?.selector), current: compact({ averageValue: m.pods?.currentAverageValue }) } };
    case 'Object':
      return { type: 'Object', object: { describedObject: m.object?.target, metric: metric(m.object?.metricName, m.object?.selector), current: compact({ value: m.object?.currentValue, averageValue: m.object?.averageValue }) } };
    case 'External':
      return { type: 'External', external: { metric: metric(m.external?.metricName, m.external?.metricSelector), current: compact({ value: m.external?.currentValue, averageValue: m.external?.currentAverageValue }) } };
    default:
      return m;
  }
}

function parse(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const hpaV1Conversion: VersionConversion = {
  fromStorage(o: KubeObject): KubeObject {
    const spec = (o['spec'] ?? {}) as Any;
    const status = o['status'] as Any | undefined;
    const metrics: Any[] = spec.metrics ?? [];
    const cpu = metrics.find(isCpuUtilization);
    const others = metrics.filter((m) => !isCpuUtilization(m)).map(specToV1);
    const current: Any[] = status?.currentMetrics ?? [];
    const cpuNow = current.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined);
    const annotations: Record<string, string> = { ...((o.metadata?.['annotations'] as Record<string, string> | undefined) ?? {}) };
    if (others.length > 0) annotations[METRICS] = JSON.stringify(others);
    if (current.length > 0) annotations[CURRENT_METRICS] = JSON.stringify(current.map(statusToV1));
    if (spec.behavior !== undefined) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
    if ((status?.conditions ?? []).length > 0) annotations[CONDITIONS] = JSON.stringify(status!.conditions);
    const { metrics: _m, behavior: _b, ...rest } = spec;
    return {
      ...o,
      apiVersion: 'autoscaling/v1',
      metadata: { ...o.metadata, ...(Object.keys(annotations).length > 0 && { annotations }) },
      spec: compact({ ...rest, targetCPUUtilizationPercentage: cpu?.resource.target.averageUtilization }),
      ...(status !== undefined && {
        status: compact({ observedGeneration: status.observedGeneration, lastScaleTime: status.lastScaleTime, currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0, currentCPUUtilizationPercentage: cpuNow?.resource.current.averageUtilization }),
      }),
    };
  },

  toStorage(o: KubeObject): KubeObject {
    const spec = (o['spec'] ?? {}) as Any;
    const status = o['status'] as Any | undefined;
    const annotations: Record<string, string> = { ...((o.metadata?.['annotations'] as Record<string, string> | undefined) ?? {}) };
    const others: Any[] = parse(annotations[METRICS]) ?? [];
    const current: Any[] | undefined = parse(annotations[CURRENT_METRICS]);
    const behavior = parse(annotations[BEHAVIOR]);
    const conditions = parse(annotations[CONDITIONS]);
    for (const k of [METRICS, CURRENT_METRICS, BEHAVIOR, CONDITIONS]) delete annotations[k];
    const { targetCPUUtilizationPercentage: cpu, ...rest } = spec;
    const metrics = [...(cpu !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] : []), ...(Array.isArray(others) ? others.map(specFromV1) : [])];
    const metadata = { ...o.metadata } as Any;
    if (Object.keys(annotations).length > 0) metadata['annotations'] = annotations;
    else delete metadata['annotations'];
    return {
      ...o,
      apiVersion: 'autoscaling/v2',
      metadata,
      spec: compact({ ...rest, metrics: metrics.length > 0 ? metrics : undefined, behavior }),
      ...(status !== undefined && {
        status: compact({
          observedGeneration: status.observedGeneration,
          lastScaleTime: status.lastScaleTime,
          currentReplicas: status.currentReplicas,
          desiredReplicas: status.desiredReplicas,
          currentMetrics: Array.isArray(current) ? current.map(statusFromV1) : status.currentCPUUtilizationPercentage !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : undefined,
          conditions: Array.isArray(conditions) ? conditions : undefined,
        }),
      }),
    };
  },
};
