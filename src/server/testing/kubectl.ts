import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import type { Topology } from '../../cluster/topology.js';
import { kubeconfig, serve, type RunningServer } from '../http-server.js';

/** Is the real kubectl installed here? End-to-end suites skip without it. */
export const hasKubectl = await new Promise<boolean>((done) => execFile('kubectl', ['version', '--client'], (e) => done(e === null)));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A served cluster and the real kubectl pointed at it through a kubeconfig in a temporary directory. */
export interface ServedCluster {
  server: RunningServer;
  cluster: Cluster;
  dir: string;
  config: string;
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** kubectl that must succeed quietly (exit 0, nothing on stderr): its stdout. */
  out(...args: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Serve a fresh cluster (virtual time from the real now, at real speed) for kubectl to talk to. */
export async function serveForKubectl(seed: string, topology: Omit<Topology, "seed"> = {}): Promise<ServedCluster> {
  const cluster = Cluster.create({ seed, ...topology }, { epochMs: Date.now() });
  const server = await serve({ cluster, speed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'crucible-serve-'));
  const config = join(dir, 'kubeconfig');
  writeFileSync(config, kubeconfig(server.url, 'admin-token', server.caPem));
  const kubectl = (...args: string[]): Promise<KubectlResult> =>
    new Promise((done) => {
      execFile('kubectl', ['--kubeconfig', config, ...args], { timeout: 30_000 }, (e, stdout, stderr) => done({ code: e === null ? 0 : ((e as { code?: number }).code ?? 1), stdout, stderr }));
    });
  const out = async (...args: string[]): Promise<string> => {
    const r = await kubectl(...args);
    expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };
  return { server, cluster, dir, config, kubectl, out, close: () => server.close() };
}
