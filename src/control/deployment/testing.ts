import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { Scheduler } from '../../scheduler/scheduler.js';
import { GarbageCollector } from '../garbage-collector.js';
import { ReplicaSetController } from '../replicaset/controller.js';
import { testCluster, type TestClusterOptions } from '../testing.js';
import { DeploymentController } from './controller.js';

/** A cluster with kubelets, the scheduler, and the ReplicaSet, Deployment and garbage collector controllers. */
export function deploymentCluster(seed: string, options: TestClusterOptions = {}) {
  const c = testCluster(seed, options);
  const host = c.world.host('cp-0');
  new Scheduler(host, c.kcm).start();
  new ReplicaSetController(host, c.kcm).start();
  new DeploymentController(host, c.kcm).start();
  new GarbageCollector(host, c.kcm, c.gateway.api.registry).start();
  const store = c.gateway.api.store;
  const deploy = (name: string, spec: Record<string, unknown>, image = 'nginx:1.27') =>
    c.call({
      verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default',
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } }, ...spec } } as KubeObject,
    }).body as Deployment;
  const setImage = (name: string, image: string) =>
    c.call({ verb: 'patch', patchType: 'strategic', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name, body: { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } } });
  const deployment = (name: string) => c.call({ verb: 'get', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name }).body as Deployment;
  /** Read straight from the store: the truth at this instant (for invariants checked on every event). */
  const live = {
    pods: (app: string) => (store.list('pods', { keyPrefix: 'default/' }).items as unknown as Pod[]).filter((p) => p.metadata?.labels?.['app'] === app),
    replicaSets: (app: string) => (store.list('replicasets.apps', { keyPrefix: 'default/' }).items as unknown as ReplicaSet[]).filter((r) => r.metadata?.labels?.['app'] === app),
  };
  return { ...c, deploy, setImage, deployment, live };
}
