import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster } from '../cluster/cluster.js';
import type { Topology } from '../cluster/topology.js';
import { kubeconfig, serve } from '../server/http-server.js';
import { UserInputError } from './plan-file.js';

export interface ServeCommandOptions {
  nodes?: number;
  port: number;
  host: string;
  speed: number;
  seed: string;
  kubeconfigOut: string;
  allowExternal: boolean;
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
  const topology: Topology = { seed: o.seed, ...(o.nodes !== undefined && { nodes: o.nodes }) };
  const started = performance.now();
  // Virtual time 0 is now, so timestamps read right to kubectl, which compares them with the real clock.
  const cluster = Cluster.create(topology, { epochMs: Date.now() });
  // A fresh token per run: only whoever can read the kubeconfig (mode 0600) can use the cluster.
  const token = randomBytes(24).toString('base64url');
  const running = await serve({ cluster, port: o.port, host: o.host, speed: o.speed, token });
  const path = resolve(o.kubeconfigOut);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, kubeconfig(running.url, token, running.caPem), { mode: 0o600 });
  renameSync(tmp, path);
  out(`crucible serve: ${cluster.components.nodes.length} nodes (seed ${o.seed}) ready in ${Math.round(performance.now() - started)} ms, serving ${running.url}${o.speed !== 1 ? ` at ${o.speed}x real time` : ''}`);
  out(`kubeconfig: ${path}`);
  out('');
  out(`  export KUBECONFIG=${path}`);
  out('  kubectl get nodes');
  out('');
  out('Press Ctrl-C to stop.');
  return new Promise((done) => {
    const stop = () => {
      void running.close().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
