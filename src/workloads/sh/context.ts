import type { MemoryFs } from './fs.js';

/** What a running script can touch: its container's files and environment, and its output. */
export interface ShContext {
  fs: MemoryFs;
  env: Map<string, string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The host's wall clock, ms since the Unix epoch (for `date`). */
  now(): number;
  hostname: string;
  /** Signal handlers set with `trap` (signal name → command). */
  traps: Map<string, string>;
}

/** What a script hands back to whoever runs it: wait this long (Infinity: forever). */
export interface ShYield {
  sleepMs: number;
}

export type ShProgram = Generator<ShYield, number, void>;

/** Output for one command: where stdout and stderr go, what stdin holds. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  stdin: string;
}

export class ExitSignal {
  constructor(readonly code: number) {}
}
export class BreakSignal {}
export class ContinueSignal {}
