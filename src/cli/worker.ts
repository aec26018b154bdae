// A worker process for `crucible run`: runs the scenarios it is sent and sends back their results.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runScenario } from '../scenario/run.js';
import { loadScenarioFiles } from './scenario-files.js';
import { replayCommand } from './replay-command.js';

interface Job {
  file: string;
  name: string;
  seed?: string;
}

process.on('message', (job: Job) => {
  const scenario = loadScenarioFiles([job.file]).find((s) => s.name === job.name);
  if (scenario === undefined) {
    process.send!({ error: `no scenario named ${job.name} in ${job.file}` });
    return;
  }
  const result = runScenario(scenario, { readFile: (p) => readFileSync(p, 'utf8'), wallClock: () => performance.now(), ...(job.seed !== undefined && { seed: job.seed }), replay: replayCommand });
  process.send!({ result });
});
