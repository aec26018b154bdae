import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import type { Topology } from '../cluster/topology.js';
import { kubeconfig, serve } from '../server/http-server.js';
import { UserInputError } from './plan-file.js';
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
  if (saved !== undefined && ((o.nodes !== undefined && o.nodes !== saved.cluster.nodes) || (o.seedGiven === true && o.seed !== saved.cluster.seed))) {
    throw new UserInputError(`--data-dir ${o.dataDir}: it holds a cluster of ${saved.cluster.nodes} nodes (seed ${saved.cluster.seed}); drop --nodes/--seed to resume it, or use another directory`);
  }
  const topology: Topology = saved !== undefined ? { seed: saved.cluster.seed, nodes: saved.cluster.nodes } : { seed: o.seed, ...(o.nodes !== undefined && { nodes: o.nodes }) };
  // Virtual time 0 is now, so timestamps read right to kubectl, which compares them with the real clock.
  const cluster = Cluster.create(topology, { epochMs: Date.now(), ...(saved !== undefined && { restore: saved }) });
  dataDir?.attach(cluster.components.gateways[0]!.api.store, { seed: String(topology.seed), nodes: cluster.components.nodes.length });
  // A fresh token per run: only whoever can read the kubeconfig (mode 0600) can use the cluster.
  const token = randomBytes(24).toString('base64url');
  const running = await serve({ cluster, port: o.port, host: o.host, speed: o.speed, token });
  const path = resolve(o.kubeconfigOut);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, kubeconfig(running.url, token, running.caPem), { mode: 0o600 });
  renameSync(tmp, path);
  out(`crucible serve: ${cluster.components.nodes.length} nodes (seed ${String(topology.seed)}) ready in ${Math.round(performance.now() - started)} ms, serving ${running.url}${o.speed !== 1 ? ` at ${o.speed}x real time` : ''}`);
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
