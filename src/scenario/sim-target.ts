import type { KubeObject } from '../api/registry/types.js';
import { CLIENT_HOST } from '../cluster/assemble.js';
import type { Cluster } from '../cluster/cluster.js';
import { kubectl } from '../kubectl/command.js';
import type { ScenarioTarget } from './target.js';

/** The simulated cluster as a scenario target: every capability, virtual time, a trace hash. */
export function simTarget(cluster: Cluster): ScenarioTarget & { cluster: Cluster } {
  const store = cluster.components.gateways[0]!.api.store;
  return {
    cluster,
    backend: 'sim',
    capabilities: { virtualTime: true, faults: true, imageTables: true, topology: true },
    get now() {
      return cluster.now;
    },
    get traceHash() {
      return cluster.traceHash;
    },
    get monitor() {
      return cluster.monitor;
    },
    set monitor(m) {
      cluster.monitor = m;
    },
    revision: () => store.revision,
    run: (done, timeoutMs) => cluster.run(done, timeoutMs),
    advance: (ms) => cluster.advance(ms),
    after: (ms, fn) => void cluster.world.host(CLIENT_HOST).after(ms, fn),
    apply: (m, source) => cluster.apply(m, source),
    delete: (kind, name, namespace, options) => cluster.delete(kind, name, namespace, options),
    patch: (kind, name, patch, options) => cluster.patch(kind, name, patch, options),
    scale: (kind, name, replicas, namespace) => cluster.scale(kind, name, replicas, namespace),
    setImage: (kind, name, container, image, namespace) => cluster.setImage(kind, name, container, image, namespace),
    rolloutUndo: (name, options) => cluster.rolloutUndo(name, options),
    cordon: (node) => cluster.cordon(node),
    uncordon: (node) => cluster.uncordon(node),
    drain: (node, options) => cluster.drain(node, options),
    fault: (spec, name) => cluster.fault(spec, name),
    killContainer: (pod, options) => cluster.killContainer(pod, options),
    peek: (kind, name, namespace) => cluster.peek(kind, name, namespace),
    peekList(kind, namespace) {
      const type = cluster.resource(kind);
      const resource = type.group === '' ? type.resource : `${type.resource}.${type.group}`;
      return store.list(resource, type.namespaced && namespace !== undefined ? { keyPrefix: `${namespace}/` } : {}).items as unknown as KubeObject[];
    },
    resourceName: (kind) => cluster.resource(kind).resource,
    logs: (pod, options) => cluster.logs(pod, options),
    kubectl: (line) => kubectl(cluster, line),
    memory: () => [...cluster.components.kubelets].map(([node, k]) => {
      const v = k.memoryView();
      return { node, availableBytes: v.availableBytes, ...(v.thresholdBytes !== undefined && { thresholdBytes: v.thresholdBytes }) };
    }),
  };
}
