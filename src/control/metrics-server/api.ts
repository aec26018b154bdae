import type { ResourceType } from '../../api/registry/index.js';
import { nameIsDNSSubdomain } from '../../api/validation/object-meta.js';

const resource = (kind: string, plural: string, namespaced: boolean): ResourceType => ({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind,
  resource: plural,
  singular: '',
  namespaced,
  shortNames: [],
  categories: [],
  subresources: [],
  verbs: ['get', 'list'],
  nameValidator: nameIsDNSSubdomain,
  generation: false,
  strategy: {},
});

/** The resources of metrics.k8s.io/v1beta1, as `kubectl api-resources` lists them (no short names, get and list only). */
export const METRICS_RESOURCES: ResourceType[] = [resource('NodeMetrics', 'nodes', false), resource('PodMetrics', 'pods', true)];

/** metrics-server's secure port (its container listens on 10250 as of v0.6; the Service maps 443 to it). */
export const METRICS_SERVER_PORT = '10250-metrics';

/** The APIService `v1beta1.metrics.k8s.io` for a metrics-server on `host`. */
export const metricsApiService = (host: string) => ({ group: 'metrics.k8s.io', version: 'v1beta1', host, port: METRICS_SERVER_PORT, resources: METRICS_RESOURCES });
