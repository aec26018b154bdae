import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import type { Topology } from '../cluster/topology.js';
import { kubeconfig, serve } from '../server/http-server.js';
import { UserInputError } from './plan-file.js';
import { servedSetup } from './serve-topology.js';
import { TopologyError } from '../cluster/topology.js';
import { DataDir, DataDirError, type SavedState } from '../server/data-dir.js';

export interface ServeCommandOptions {
  nodes?: number;
  port: number;
  host: string;
  speed: number;
  seed: string;
  kubeconfigOut: string;
  allowExternal: boolean;
  /** Keep the API's state here and resume from it (a write-ahead log and snapshots). */
  dataDir?: string;
  /** Whether --seed was given (a saved cluster keeps its own). */
  seedGiven?: boolean;
  /** A topology file, or a scenario whose cluster and manifests to serve. */
  topologyFile?: string;
  scenarioFile?: string;
}

/**
 * `crucible serve`: a simulated cluster behind a Kubernetes API on
 * 127.0.0.1, with a kubeconfig for kubectl and client libraries; virtual
 * time follows wall time (times --speed) until SIGINT or SIGTERM.
 */
export async function serveCommand(o: ServeCommandOptions, out: (l: string) => void): Promise<number> {
  if (!o.allowExternal && o.host !== '127.0.0.1' && o.host !== 'localhost' && o.host !== '::1') {
    throw new UserInputError(`--address ${o.host}: crucible serve listens on 127.0.0.1 only; pass --allow-external to listen on ${o.host} (anyone who can reach it and holds the token is cluster-admin)`);
  }
  if (!(o.speed > 0) || !Number.isFinite(o.speed)) throw new UserInputError(`--speed: expected a number above 0, got ${o.speed}`);
  const started = performance.now();
  const dataDir = o.dataDir === undefined ? undefined : new DataDir(resolve(o.dataDir));
  let saved: SavedState | undefined;
  try {
    saved = dataDir?.load();
  } catch (e) {
    if (e instanceof DataDirError) throw new UserInputError(e.message);
    throw e;
  }
  if (saved !== undefined && (o.nodes !== undefined || o.topologyFile !== undefined || o.scenarioFile !== undefined || (o.seedGiven === true && o.seed !== saved.cluster.seed))) {
    throw new UserInputError(`--data-dir ${o.dataDir}: it holds a cluster of ${saved.cluster.nodes} nodes (seed ${saved.cluster.seed}); drop --nodes/--topology/--scenario/--seed to resume it, or use another directory`);
  }
  const setup = saved !== undefined ? { topology: saved.cluster.topology ?? { nodes: saved.cluster.nodes }, manifests: [] } : servedSetup({ ...(o.nodes !== undefined && { nodes: o.nodes }), ...(o.topologyFile !== undefined && { topology: o.topologyFile }), ...(o.scenarioFile !== undefined && { scenario: o.scenarioFile }) });
  const declared = (setup.topology as { seed?: string | number }).seed;
  const seed = saved !== undefined ? saved.cluster.seed : o.seedGiven === true || declared === undefined ? o.seed : String(declared);
  const topology: Topology = { ...setup.topology, seed };
  // Virtual time 0 is now, so timestamps read right to kubectl, which compares them with the real clock.
  let cluster: Cluster;
  try {
    cluster = Cluster.create(topology, { epochMs: Date.now(), ...(saved !== undefined && { restore: saved }) });
  } catch (e) {
    if (e instanceof TopologyError) throw new UserInputError(e.message);
    throw e;
  }
  if (setup.manifests.length > 0) cluster.apply(setup.manifests, 'from' in setup ? String(setup.from) : 'manifests');
  dataDir?.attach(cluster.components.gateways[0]!.api.store, { seed: String(topology.seed), nodes: cluster.components.nodes.length, topology: setup.topology });
  // A fresh token per run: only whoever can read the kubeconfig (mode 0600) can use the cluster.
  const token = randomBytes(24).toString('base64url');
  const running = await serve({ cluster, port: o.port, host: o.host, speed: o.speed, token });
  const path = resolve(o.kubeconfigOut);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, kubeconfig(running.url, token, running.caPem), { mode: 0o600 });
  renameSync(tmp, path);
  out(`crucible serve: ${cluster.components.nodes.length} nodes (seed ${String(topology.seed)}) ready in ${Math.round(performance.now() - started)} ms, serving ${running.url}${o.speed !== 1 ? ` at ${o.speed}x real time` : ''}`);
  if ('from' in setup && setup.from !== undefined) out(`from ${setup.from}${setup.manifests.length > 0 ? `: ${setup.manifests.length} objects applied` : ''}`);
  out(`kubeconfig: ${path}`);
  if (dataDir !== undefined) out(saved === undefined ? `state: ${dataDir.dir} (new)` : `state: ${dataDir.dir} (resumed: ${saved.entries.length} objects at resourceVersion ${saved.revision})`);
  out('');
  out(`  export KUBECONFIG=${path}`);
  out('  kubectl get nodes');
  out('');
  out('Press Ctrl-C to stop.');
  return new Promise((done) => {
    const stop = () => {
      dataDir?.close();
      void running.close().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
