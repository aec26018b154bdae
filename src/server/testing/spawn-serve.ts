import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hasKubectl } from './kubectl.js';

/** The repository root, for the built CLI (bin/crucible.js runs dist/). */
export const root = new URL('../../../', import.meta.url).pathname;
/** Can `crucible serve` run as its own process here (kubectl installed, dist/ built)? */
export const canSpawnServe = hasKubectl && existsSync(join(root, 'dist/cli/main.js'));

export interface Spawned {
  process: ChildProcess;
  /** What it printed on stdout before it was ready ("Press Ctrl-C to stop."), or on stderr if it failed. */
  banner: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `crucible serve …` as its own process, ready (or failed) when this resolves. */
export async function spawnServe(kubeconfig: string, ...args: string[]): Promise<Spawned> {
  rmSync(kubeconfig, { force: true });
  const child = spawn(process.execPath, [join(root, 'bin/crucible.js'), 'serve', '--port', '0', '--kubeconfig-out', kubeconfig, ...args]);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let done = false;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => ((done = true), r(code))));
  for (let i = 0; i < 150 && !out.includes('Press Ctrl-C') && !done; i++) await new Promise((r) => setTimeout(r, 100));
  return { process: child, banner: out, stderr: () => err, exited };
}

export const kubectlWith = (kubeconfig: string, ...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 }, (e, stdout, stderr) => done({ code: e === null ? 0 : 1, stdout, stderr })));
