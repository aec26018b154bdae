import { identities } from '../api/auth/index.js';
import { ApiGateway, ApiServer, ApiServerHost, DEFAULT_EPOCH_MS } from '../api/server/index.js';
import { EtcdBackend, EtcdMember } from '../api/storage/etcd/index.js';
import { ApiClient } from '../client/index.js';
import { LeaderElector } from '../client/leader-election.js';
import { ControllerManager } from '../control/manager.js';
import { metricsApiService } from '../control/metrics-server/api.js';
import { MetricsServer } from '../control/metrics-server/metrics-server.js';
import { World } from '../faults/index.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { PersistentStorage } from '../kubelet/volumes/persistent-storage.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { StoredObject } from '../api/store/index.js';
import { Trace } from '../sim/index.js';
import { ImageCatalog } from '../workloads/catalog.js';
import { topologyNodes, TopologyError, validateTopology, type Topology } from './topology.js';

/** The host clients (the user, kubectl) run on: outside the cluster, reaching it over the network. */
export const CLIENT_HOST = 'client';

/** Every component of a built cluster, by host. */
export interface Components {
  world: World;
  controlPlane: string[];
  nodes: string[];
  gateways: ApiGateway[];
  kubelets: Map<string, Kubelet>;
  controllerManagers: ControllerManager[];
  schedulers: Scheduler[];
  metricsServer: MetricsServer | undefined;
  /** True once the API server has bootstrapped its initial objects. */
  bootstrapped: () => boolean;
  /** Virtual time 0 as a wall-clock instant (timestamps in objects). */
  epochMs: number;
}

const ip = (i: number) => `172.18.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`;
const podCIDR = (i: number) => `10.${244 + Math.floor((i + 1) / 256)}.${(i + 1) % 256}.0/24`;

/**
 * Build a cluster from a topology, as kubeadm would lay it out: on each
 * control-plane host an API server, a controller manager and a scheduler
 * (leader-elected when there are several, each API server then on its own
 * etcd member); a kubelet on each node; metrics-server on the first
 * control-plane host; and a `client` host for users. Nothing runs until the
 * simulation does.
 */
/** API objects saved from an earlier run (crucible serve --data-dir), loaded before the API server bootstraps. */
export interface SavedStore {
  revision: number;
  entries: ReadonlyArray<{ resource: string; key: string; object: StoredObject }>;
}

export function assemble(topology: Topology, epochMs = DEFAULT_EPOCH_MS, restore?: SavedStore): Components {
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new TopologyError(problems);
  const seed = topology.seed ?? 1;
  const world = new World({ seed, trace: new Trace(), network: { defaults: { latencyMs: 1, jitterMs: 1 } } });
  const controlPlane = Array.from({ length: topology.controlPlane ?? 1 }, (_, i) => `cp-${i}`);
  for (const h of controlPlane) world.addHost(h, { groups: ['control-plane'] });
  const nodeSpecs = topologyNodes(topology);
  for (const n of nodeSpecs) world.addHost(n.name, { groups: ['nodes', ...(n.zone !== undefined ? [`zone-${n.zone}`] : [])] });
  world.addHost(CLIENT_HOST, { groups: ['clients'] });

  const ha = controlPlane.length > 1;
  const members = ha ? controlPlane.map((h) => new EtcdMember(world.host(h), controlPlane)) : [];
  // One signing key for every API server, drawn from the seed (a restart with the same seed keeps tokens valid).
  const keyStream = world.host(controlPlane[0]!).rng('service-account-key');
  const serviceAccountKey = Buffer.from(Array.from({ length: 32 }, () => Math.floor(keyStream.next() * 256)));
  const gateways = controlPlane.map((h, i) => {
    const host = world.host(h);
    const rng = host.rng('apiserver');
    const api = new ApiServer({ now: () => host.clock.now(), random: () => rng.next(), epochMs, serviceAccountKey, ...(ha && { backend: new EtcdBackend(members[i]!) }) });
    const gateway = new ApiGateway(api);
    gateway.authenticator.add('admin-token', identities.admin());
    gateway.authenticator.add('kcm-token', identities.controllerManager());
    gateway.authenticator.add('scheduler-token', identities.scheduler());
    gateway.authenticator.add('metrics-server-token', identities.serviceAccount('kube-system', 'metrics-server'));
    for (const n of nodeSpecs) gateway.authenticator.add(`${n.name}-token`, identities.node(n.name));
    if (topology.metricsServer !== false) api.registerApiService(metricsApiService(controlPlane[0]!));
    new ApiServerHost(host, gateway);
    return gateway;
  });
  if (restore !== undefined) {
    if (ha) throw new TopologyError(['saved state can only be restored into a cluster with one control-plane host']);
    gateways[0]!.api.store.restore(restore.entries, restore.revision);
    // The restored CustomResourceDefinitions are served again, as kube-apiserver does at start.
    for (const e of restore.entries) if (e.resource.startsWith('customresourcedefinitions')) gateways[0]!.api.registry.addCustomResource(e.object as never);
  }
  let bootstrapped = false;
  const first = world.host(controlPlane[0]!);
  if (ha) gateways[0]!.bootstrap((ms, fn) => first.after(ms, fn), () => (bootstrapped = true));
  else gateways[0]!.bootstrap(undefined, () => (bootstrapped = true));

  const client = (host: string, token: string, i = 0) => new ApiClient(world.host(host), { server: controlPlane[i % controlPlane.length]!, token });
  const controllerManagers = controlPlane.map((h, i) => new ControllerManager(world.host(h), client(h, 'kcm-token', i), gateways[i]!.api.registry, { leaderElect: ha, epochMs }));
  const schedulers = controlPlane.map((h, i) => {
    const c = client(h, 'scheduler-token', i);
    if (!ha) return new Scheduler(world.host(h), c, { epochMs });
    const elector = new LeaderElector(world.host(h), c, { name: 'kube-scheduler', identity: `${h}_kube-scheduler`, epochMs });
    elector.start();
    return new Scheduler(world.host(h), c, { isLeader: () => elector.isLeader(), epochMs });
  });
  const metricsServer = topology.metricsServer === false ? undefined : new MetricsServer(first, client(controlPlane[0]!, 'metrics-server-token'), { epochMs });
  const catalog = new ImageCatalog(topology.images ?? {}, { permissive: topology.permissiveImages === true });
  const storage = new PersistentStorage();
  const kubelets = new Map(
    nodeSpecs.map((n, i) => {
      const labels = { ...n.labels, ...(n.zone !== undefined && { 'topology.kubernetes.io/zone': n.zone }) };
      const kubelet = new Kubelet(world.host(n.name), client(n.name, `${n.name}-token`, i), {
        node: {
          name: n.name,
          internalIP: ip(i),
          podCIDR: podCIDR(i),
          capacity: { cpu: n.cpu, memory: n.memory, ...(n.pods !== undefined && { pods: String(n.pods) }), ...(n.disk !== undefined && { 'ephemeral-storage': n.disk }) },
          ...(Object.keys(labels).length > 0 && { labels }),
          ...(n.taints !== undefined && { taints: n.taints }),
        },
        catalog,
        storage,
        epochMs,
        ...(topology.eviction !== undefined && { eviction: topology.eviction }),
      });
      return [n.name, kubelet] as const;
    }),
  );
  for (const c of controllerManagers) c.start();
  for (const s of schedulers) s.start();
  metricsServer?.start();
  for (const k of kubelets.values()) k.start();
  return { world, controlPlane, nodes: nodeSpecs.map((n) => n.name), gateways, kubelets, controllerManagers, schedulers, metricsServer, bootstrapped: () => bootstrapped, epochMs };
}
