import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import yaml from 'js-yaml';
import type { KubeObject } from '../api/registry/types.js';
import { splitWords } from '../kubectl/args.js';
import type { ScenarioTarget } from '../scenario/target.js';
import { InvariantViolation } from '../cluster/wait.js';

/** How often a wait polls a real cluster. */
const POLL_MS = 500;
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));

export interface KubeBackendOptions {
  kubeconfig?: string;
  /** The kubectl binary (default `kubectl` on the PATH). */
  kubectl?: string;
  /** A label of the run, used in the namespace name. */
  runName?: string;
}

/**
 * A real cluster as a scenario target, reached through the kubectl on the
 * machine (kind, k3s, any kubeconfig — or `crucible serve`). Each run gets
 * its own namespace, removed afterwards; time is wall time, waits poll, and
 * invariants are checked at each poll (sampled, not at every event).
 * Faults, image tables and topologies need the simulator: such scenarios
 * are skipped with the reason.
 */
export function kubeTarget(options: KubeBackendOptions = {}): ScenarioTarget {
  const bin = options.kubectl ?? 'kubectl';
  const base = options.kubeconfig !== undefined ? ['--kubeconfig', options.kubeconfig] : [];
  const namespace = `crucible-${(options.runName ?? 'run').toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 30).replace(/-+$/, '')}-${randomBytes(3).toString('hex')}`;
  const started = Date.now();
  let polls = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const ns = (n?: string) => (n === undefined || n === 'default' ? namespace : n);
  const run = (args: string[], input?: string): { stdout: string; stderr: string; code: number } => {
    const r = spawnSync(bin, [...base, ...args], { input, encoding: 'utf8', timeout: 60_000 });
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? ''), code: r.status ?? 1 };
  };
  const must = (args: string[], input?: string): string => {
    const r = run(args, input);
    if (r.code !== 0) throw new Error((r.stderr || r.stdout).trim());
    return r.stdout;
  };
  const kindArg = (kind: string) => kind.toLowerCase();
  const fire = () => {
    const now = Date.now() - started;
    for (const t of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (t.at <= now) t.fn();
      else timers.push(t);
    }
  };
  const target: ScenarioTarget = {
    backend: 'kube',
    capabilities: { virtualTime: false, faults: false, imageTables: false, topology: false },
    get now() {
      return Date.now() - started;
    },
    traceHash: '',
    monitor: undefined,
    revision: () => polls,
    run(done, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        polls++;
        fire();
        const violation = target.monitor?.();
        if (violation !== undefined) throw new InvariantViolation(violation, Date.now() - started);
        if (done()) return true;
        if (Date.now() >= deadline) return false;
        sleep(Math.min(POLL_MS, deadline - Date.now()));
      }
    },
    advance(ms) {
      target.run(() => false, ms);
    },
    after(ms, fn) {
      timers.push({ at: Date.now() - started + ms, fn });
    },
    apply(manifests, source) {
      const text = typeof manifests === 'string' ? manifests : (Array.isArray(manifests) ? manifests : [manifests]).map((m) => yaml.dump(m)).join('---\n');
      try {
        return must(['apply', '-n', namespace, '-f', '-'], text).trim().split('\n');
      } catch (e) {
        throw new Error(`${source}: ${(e as Error).message}`);
      }
    },
    delete(kind, name, n, o = {}) {
      must(['delete', kindArg(kind), name, '-n', ns(n), '--wait=false', ...(o.gracePeriodSeconds !== undefined ? [`--grace-period=${o.gracePeriodSeconds}`] : []), ...(o.propagationPolicy !== undefined ? [`--cascade=${o.propagationPolicy.toLowerCase()}`] : [])]);
    },
    patch(kind, name, patch, o = {}) {
      return must(['patch', kindArg(kind), name, '-n', ns(o.namespace), '--type', o.type ?? 'strategic', '-p', JSON.stringify(patch)]);
    },
    scale(kind, name, replicas, n) {
      must(['scale', kindArg(kind), name, '-n', ns(n), `--replicas=${replicas}`]);
    },
    setImage(kind, name, container, image, n) {
      must(['set', 'image', `${kindArg(kind)}/${name}`, '-n', ns(n), `${container}=${image}`]);
    },
    rolloutUndo(name, o = {}) {
      return must(['rollout', 'undo', `deployment/${name}`, '-n', ns(o.namespace), ...(o.toRevision ? [`--to-revision=${o.toRevision}`] : [])]).trim();
    },
    cordon: (node) => void must(['cordon', node]),
    uncordon: (node) => void must(['uncordon', node]),
    drain(node, o) {
      const r = run(['drain', node, ...(o.ignoreDaemonSets ? ['--ignore-daemonsets'] : []), ...(o.deleteEmptyDirData ? ['--delete-emptydir-data'] : []), ...(o.force ? ['--force'] : []), ...(o.timeoutMs !== undefined ? [`--timeout=${Math.round(o.timeoutMs / 1000)}s`] : [])]);
      return r.code === 0 ? {} : { error: (r.stderr || r.stdout).trim() };
    },
    fault() {
      throw new Error('the kube backend cannot inject faults');
    },
    killContainer() {
      throw new Error('the kube backend cannot kill containers');
    },
    peek(kind, name, n) {
      const r = run(['get', kindArg(kind), name, '-n', ns(n), '-o', 'json']);
      if (r.code !== 0) {
        if (/NotFound|not found/.test(r.stderr)) return undefined;
        throw new Error(r.stderr.trim());
      }
      return JSON.parse(r.stdout) as KubeObject;
    },
    peekList(kind, n) {
      const out = must(['get', kindArg(kind), ...(n === undefined ? ['-A'] : ['-n', ns(n)]), '-o', 'json']);
      return ((JSON.parse(out) as { items?: KubeObject[] }).items ?? []);
    },
    resourceName(kind) {
      const out = run(['api-resources', '--no-headers', '-o', 'name']).stdout.split('\n');
      const k = kind.toLowerCase();
      return out.find((r) => r === k || r === `${k}s` || r.startsWith(`${k}s.`) || r.startsWith(`${k}.`))?.split('.')[0] ?? k;
    },
    logs: (pod, o) => must(['logs', pod, '-n', ns(o.namespace), ...(o.container !== undefined ? ['-c', o.container] : []), ...(o.tail !== undefined ? [`--tail=${o.tail}`] : [])]),
    kubectl(line) {
      const words = splitWords(line.replace(/^\s*kubectl\s+/, ''));
      const scoped = words.includes('-A') || words.includes('--all-namespaces') || words.some((w) => w === '-n' || w.startsWith('--namespace')) ? words : [...words, '-n', namespace];
      const r = run(scoped);
      return { output: r.stdout + r.stderr, exitCode: r.code };
    },
    memory: () => [],
    dispose() {
      run(['delete', 'namespace', namespace, '--wait=false']);
    },
  };
  must(['create', 'namespace', namespace]);
  return target;
}

/** Whether a kubectl that can reach the cluster is there (for skipping with a reason). */
export function kubeReachable(options: KubeBackendOptions = {}): string | undefined {
  try {
    execFileSync(options.kubectl ?? 'kubectl', [...(options.kubeconfig !== undefined ? ['--kubeconfig', options.kubeconfig] : []), 'version', '-o', 'json'], { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (e) {
    return `no cluster reachable with kubectl: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim().split('\n')[0]}`;
  }
}
