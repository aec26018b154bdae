import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runDemo } from './demo.js';
import { UserInputError } from './plan-file.js';
import { ScenarioLoadError, formatProblem } from '../scenario/problems.js';
import { SCENARIO_SCHEMA } from '../scenario/schema.js';
import { runCommand } from './run-command.js';
import { replay } from './replay.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve-command.js';
import { CONTROL_COMMANDS, controlCommand } from './control-command.js';

const HELP = `crucible — a deterministic reference orchestrator and chaos/conformance harness for Kubernetes behaviour

Usage:
  crucible demo [--seed S] [--hosts N] [--plan FILE] [--trace FILE]
      Run a small simulated world (hosts gossiping, watch streams, disks, clocks)
      under a fault plan and print what happened, its trace hash and a replay command.
        --seed S      root seed (default: a random one, printed)
        --hosts N     number of hosts, 2..1000 (default 4)
        --plan FILE   fault plan in YAML or JSON (a list, or { faults: [...] })
        --trace FILE  write the trace as JSON lines
  crucible run [PATH...] [--seed S] [--filter NAME|TAG] [--backend sim|kube|sim,kube] [--kubeconfig FILE] [--report DIR]
              [--repeat N] [--bail] [--rerun-failed] [--workers N]
      Run scenario files (default: scenarios/) on the simulated cluster, with a progress
      display, a summary and a report in DIR/<run-id>/ (default reports/): report.json,
      junit.xml, report.md and report.html. Exit code 0 only when every scenario passed.
  crucible replay FILE [--scenario NAME] [--seed S]
      Run one scenario exactly as a failed run did; prints its steps and trace hash.
  crucible report RUN_DIR
      Render the report files again from RUN_DIR/report.json.
  crucible schema
      Print the JSON Schema of the scenario language (for editors).
  crucible serve [--nodes N | --topology FILE | --scenario FILE] [--port P] [--speed X] [--seed S]
                 [--kubeconfig-out FILE] [--data-dir DIR]
      Serve a simulated cluster's Kubernetes API on 127.0.0.1 (HTTPS, bearer token) and write
      a kubeconfig (default ./crucible.kubeconfig) for kubectl and client libraries. With
      --data-dir, the API's objects are kept in DIR and a restart (even after kill -9) resumes them.
      --topology FILE serves the cluster a YAML topology describes (nodes, controlPlane, images,
      eviction); --scenario FILE serves a scenario's cluster with its spec.manifests applied.
  crucible clock | pause | resume | advance DURATION | faults | fault NAME SPEC|-f FILE | heal NAME  [--kubeconfig FILE]
      Drive a running "crucible serve": read, pause, resume or move its virtual clock
      (advance 5m), and inject, list and heal named faults, e.g.
        crucible fault cut '{kind: partition, groups: [[node-1], [control-plane]]}'
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
export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number | Promise<number> {
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
    if (command === 'run') {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          seed: { type: 'string' }, filter: { type: 'string' }, backend: { type: 'string' }, kubeconfig: { type: 'string' }, report: { type: 'string' }, repeat: { type: 'string' },
          bail: { type: 'boolean' }, 'rerun-failed': { type: 'boolean' }, workers: { type: 'string' },
        },
        strict: true,
        allowPositionals: true,
      });
      const int = (flag: string, v: string | undefined) => {
        if (v === undefined) return undefined;
        if (!/^\d+$/.test(v)) throw new UserInputError(`--${flag}: expected a whole number, got ${JSON.stringify(v)}`);
        return Number(v);
      };
      const workers = int('workers', values.workers);
      return handle(
        runCommand(
          {
            paths: positionals.length > 0 ? positionals : ['scenarios'], backend: values.backend ?? 'sim', reportDir: values.report ?? 'reports', repeat: int('repeat', values.repeat) ?? 1,
            bail: values.bail === true, rerunFailed: values['rerun-failed'] === true, command: ['crucible', 'run', ...rest].join(' '), version: version(),
            ...(values.seed !== undefined && { seed: values.seed }), ...(values.filter !== undefined && { filter: values.filter }), ...(workers !== undefined && { workers }), ...(values.kubeconfig !== undefined && { kubeconfig: values.kubeconfig }),
          },
          out,
          err,
        ),
        err,
      );
    }
    if (command === 'replay') {
      const { values, positionals } = parseArgs({ args: rest, options: { scenario: { type: 'string' }, seed: { type: 'string' } }, strict: true, allowPositionals: true });
      if (positionals.length !== 1) throw new UserInputError('replay: expected one scenario file, e.g. crucible replay scenarios/probes/liveness.yaml --scenario exec-liveness --seed 7');
      return replay(positionals[0]!, values.scenario, values.seed, out);
    }
    if (command === 'report') {
      if (rest.length !== 1) throw new UserInputError('report: expected one run directory, e.g. crucible report reports/run-20260101-120000-ab12');
      return reportCommand(rest[0]!, out);
    }
    if (command === 'serve') {
      const { values } = parseArgs({
        args: rest,
        options: { nodes: { type: 'string' }, port: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' }, 'kubeconfig-out': { type: 'string' }, address: { type: 'string' }, 'allow-external': { type: 'boolean' }, 'data-dir': { type: 'string' }, topology: { type: 'string' }, scenario: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      const int = (flag: string, v: string | undefined, fallback: number) => {
        if (v === undefined) return fallback;
        if (!/^\d+$/.test(v)) throw new UserInputError(`--${flag}: expected a whole number, got ${JSON.stringify(v)}`);
        return Number(v);
      };
      const nodes = values.nodes === undefined ? undefined : int('nodes', values.nodes, 3);
      return handle(
        serveCommand(
          {
            ...(nodes !== undefined && { nodes }), port: int('port', values.port, 6443), host: values.address ?? '127.0.0.1', speed: values.speed === undefined ? 1 : Number(values.speed),
            seed: values.seed ?? String(randomInt(1, 2 ** 31)), kubeconfigOut: values['kubeconfig-out'] ?? 'crucible.kubeconfig', allowExternal: values['allow-external'] === true,
            ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }), seedGiven: values.seed !== undefined,
            ...(values.topology !== undefined && { topologyFile: values.topology }), ...(values.scenario !== undefined && { scenarioFile: values.scenario }),
          },
          out,
        ),
        err,
      );
    }
    if (CONTROL_COMMANDS.has(command)) return handle(controlCommand(command, rest, out), err);
    if (command === 'schema') {
      out(JSON.stringify(SCENARIO_SCHEMA, null, 2));
      return 0;
    }
    err(`crucible: unknown command "${command}"\n\n${HELP.trimEnd()}`);
    return 2;
  } catch (e) {
    return failure(e, err);
  }
}

/** Input problems print one clear message (every problem of a scenario file, with its place) and exit 2; anything else is a bug and is thrown. */
function failure(e: unknown, err: (line: string) => void): number {
  {
    if (e instanceof UserInputError) {
      err(`crucible: ${e.message}`);
      return 2;
    }
    if (e instanceof ScenarioLoadError) {
      for (const p of e.problems) err(formatProblem(p));
      err(`crucible: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in scenario files; nothing was run`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`crucible: ${e.message}\nRun "crucible --help" for usage.`);
      return 2;
    }
    throw e;
  }
}

function handle(p: Promise<number>, err: (line: string) => void): Promise<number> {
  return p.catch((e: unknown) => failure(e, err));
}
