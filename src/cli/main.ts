import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runDemo } from './demo.js';
import { UserInputError } from './plan-file.js';

const HELP = `crucible — a deterministic reference orchestrator and chaos/conformance harness for Kubernetes behaviour

Usage:
  crucible demo [--seed S] [--hosts N] [--plan FILE] [--trace FILE]
      Run a small simulated world (hosts gossiping, watch streams, disks, clocks)
      under a fault plan and print what happened, its trace hash and a replay command.
        --seed S      root seed (default: a random one, printed)
        --hosts N     number of hosts, 2..1000 (default 4)
        --plan FILE   fault plan in YAML or JSON (a list, or { faults: [...] })
        --trace FILE  write the trace as JSON lines
  crucible --version
  crucible --help

Fault kinds: partition, partition-one-way, loss, latency, duplicate, reorder, bandwidth,
crash, disk-latency, disk-full, disk-eio, clock-jump, clock-skew, clock-drift.
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Entry point; returns the process exit code. Errors in user input print one clear message, never a stack. */
export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out(HELP.trimEnd());
      return 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      out(version());
      return 0;
    }
    if (command === 'demo') {
      const { values } = parseArgs({
        args: rest,
        options: {
          seed: { type: 'string' },
          hosts: { type: 'string' },
          plan: { type: 'string' },
          trace: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      });
      if (values.hosts !== undefined && !/^\d+$/.test(values.hosts)) {
        throw new UserInputError(`--hosts: must be a whole number between 2 and 1000, got ${JSON.stringify(values.hosts)}`);
      }
      const hosts = values.hosts === undefined ? 4 : Number(values.hosts);
      return runDemo(
        {
          seed: values.seed ?? String(randomInt(1, 2 ** 31)),
          hosts,
          ...(values.plan !== undefined && { planFile: values.plan }),
          ...(values.trace !== undefined && { traceFile: values.trace }),
        },
        out,
      );
    }
    err(`crucible: unknown command "${command}"\n\n${HELP.trimEnd()}`);
    return 2;
  } catch (e) {
    if (e instanceof UserInputError) {
      err(`crucible: ${e.message}`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`crucible: ${e.message}\nRun "crucible --help" for usage.`);
      return 2;
    }
    throw e;
  }
}
