import { Simulation } from '../../sim/kernel.js';
import { ImageCatalog } from '../catalog.js';
import type { ContainerProcess, ProcessHost } from '../process.js';
import { MemoryFs } from '../sh/fs.js';
import { startProcess } from '../start.js';

/** 2026-01-01T00:00:00Z: the wall clock of test hosts at virtual time 0. */
export const EPOCH_MS = 1_767_225_600_000;

export interface Started {
  sim: Simulation;
  process: ContainerProcess;
  stdout: string[];
  stderr: string[];
  exit: { code?: number; atMs?: number };
}

/** Start an image's process on a bare simulation (for model tests). */
export function start(image: string, command: string[] = [], args: string[] = [], catalog = new ImageCatalog()): Started {
  const sim = new Simulation({ seed: 'models' });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exit: Started['exit'] = {};
  const host: ProcessHost = {
    now: () => EPOCH_MS + sim.now,
    monotonic: () => sim.now,
    after: (ms, fn) => sim.schedule(ms, fn),
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    exit: (code) => {
      exit.code = code;
      exit.atMs = sim.now;
    },
  };
  const resolved = catalog.resolve(image);
  if (!resolved.ok) throw new Error(resolved.error);
  const process = startProcess(resolved.image, { command, args, env: new Map([['HOME', '/root']]), hostname: 'pod-1', fs: new MemoryFs() }, host);
  return { sim, process, stdout, stderr, exit };
}

/** Run an exec to its end on the same simulation; returns its result and how long it took. */
export function execNow(s: Started, command: string[]): { exitCode: number; output: string; tookMs: number } {
  const gen = s.process.exec(command);
  const began = s.sim.now;
  for (;;) {
    const r = gen.next();
    if (r.done) return { ...r.value, tookMs: s.sim.now - began };
    s.sim.advance(r.value.sleepMs);
  }
}
