import type { ResourceRegistry } from '../api/registry/index.js';
import type { ApiClient } from '../client/index.js';
import { LeaderElector } from '../client/leader-election.js';
import type { HostContext } from '../faults/index.js';
import { DeploymentController } from './deployment/controller.js';
import { EndpointsController } from './endpoints/controller.js';
import { HorizontalPodAutoscalerController } from './hpa/controller.js';
import { JobController } from './job/controller.js';
import { CronJobController } from './cronjob/controller.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DisruptionController } from './disruption/controller.js';
import { NodeIpamController } from './nodeipam/controller.js';
import { ResourceQuotaController } from './resourcequota/controller.js';
import { StatefulSetController } from './statefulset/controller.js';
import { PersistentVolumeController } from './volume/pv-controller.js';
import { TTLAfterFinishedController } from './job/ttl-after-finished.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController } from './node-lifecycle/controller.js';
import { ReplicaSetController } from './replicaset/controller.js';
import { RootCACertPublisher } from './root-ca.js';
import { ServiceAccountsController } from './serviceaccount.js';
import { TaintEvictionController } from './taint-eviction.js';

interface Controller {
  gate(active: () => boolean): void;
  start(): void;
}

export interface ControllerManagerOptions {
  /** Run under leader election on the kube-system Lease `kube-controller-manager` (default true). */
  leaderElect?: boolean;
  /** This replica's identity (upstream `<hostname>_<uuid>`); the host name by default. */
  identity?: string;
  epochMs?: number;
}

/**
 * kube-controller-manager: every controller Crucible models, on one host,
 * acting only while this replica holds the `kube-controller-manager` Lease
 * (several replicas on several control-plane hosts: one leads, the others
 * wait with warm caches and take over when its lease runs out).
 */
export class ControllerManager {
  readonly elector: LeaderElector | undefined;
  readonly controllers: Record<string, Controller>;

  constructor(host: HostContext, client: ApiClient, registry: ResourceRegistry, options: ControllerManagerOptions = {}) {
    const opts = { ...(options.epochMs !== undefined && { epochMs: options.epochMs }) };
    this.controllers = {
      'garbage-collector': new GarbageCollector(host, client, registry),
      namespace: new NamespaceController(host, client, registry),
      serviceaccount: new ServiceAccountsController(host, client),
      'root-ca-cert-publisher': new RootCACertPublisher(host, client),
      'node-lifecycle': new NodeLifecycleController(host, client, opts),
      nodeipam: new NodeIpamController(host, client, opts),
      resourcequota: new ResourceQuotaController(host, client),
      'taint-eviction': new TaintEvictionController(host, client, opts),
      replicaset: new ReplicaSetController(host, client, opts),
      deployment: new DeploymentController(host, client, opts),
      endpoints: new EndpointsController(host, client, opts),
      job: new JobController(host, client, opts),
      cronjob: new CronJobController(host, client, opts),
      daemonset: new DaemonSetController(host, client, opts),
      disruption: new DisruptionController(host, client, opts),
      statefulset: new StatefulSetController(host, client, opts),
      persistentvolume: new PersistentVolumeController(host, client, opts),
      'ttl-after-finished': new TTLAfterFinishedController(host, client, opts),
      horizontalpodautoscaling: new HorizontalPodAutoscalerController(host, client, registry, opts),
    };
    if (options.leaderElect !== false) {
      this.elector = new LeaderElector(host, client, { name: 'kube-controller-manager', identity: options.identity ?? host.name, ...opts });
      const elector = this.elector;
      for (const c of Object.values(this.controllers)) c.gate(() => elector.isLeader());
    }
  }

  start(): void {
    this.elector?.start();
    for (const c of Object.values(this.controllers)) c.start();
  }

  isLeader(): boolean {
    return this.elector?.isLeader() ?? true;
  }
}
