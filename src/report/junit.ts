import junitModule, { type Builder } from 'junit-report-builder';

// The package is CommonJS: at runtime the default import is the builder itself.
const junit = ((junitModule as unknown as { default?: { newBuilder(): Builder } }).default ?? (junitModule as unknown as { newBuilder(): Builder }));
import type { StepResult } from '../scenario/result.js';
import type { Reporter, RunReport } from './model.js';

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * junit.xml: a testsuite per scenario (properties: seed, trace hash, area,
 * backend, replay), a testcase per step (nested steps flattened as
 * `group / step`) and per invariant. Times are virtual seconds.
 */
export const junitReporter: Reporter = {
  file: 'junit.xml',
  render(report: RunReport): string {
    const builder = junit.newBuilder();
    for (const s of report.scenarios) {
      const suite = builder.testSuite().name(s.name).time(seconds(s.virtualMs));
      suite.property('seed', s.seed).property('traceHash', s.traceHash).property('area', s.area).property('backend', s.backend).property('replay', s.replay);
      if (s.status === 'skipped' || s.status === 'error') {
        const tc = suite.testCase().className(s.name).name(s.status === 'skipped' ? 'skipped' : 'setup');
        if (s.status === 'skipped') tc.skipped().standardOutput(s.reason ?? '');
        else tc.error(s.reason ?? 'error');
        continue;
      }
      const add = (steps: StepResult[], prefix: string): void => {
        for (const step of steps) {
          const tc = suite.testCase().className(s.name).name(`${prefix}${step.name}`).time(seconds(step.endMs - step.startMs));
          if (step.status === 'failed' && step.children === undefined) tc.failure(step.error ?? 'failed', step.action);
          if (step.children !== undefined) add(step.children, `${prefix}${step.name} / `);
        }
      };
      add(s.steps, '');
      for (const inv of s.invariants) {
        const tc = suite.testCase().className(s.name).name(`invariant: ${inv.name}`);
        if (inv.status === 'violated') tc.failure(inv.violation?.message ?? 'violated', 'invariant');
      }
      if (s.status === 'failed' && s.evidence.length > 0) suite.testCase().className(s.name).name('evidence').standardOutput(s.evidence.map((e) => `== ${e.title}\n${e.text}`).join('\n'));
    }
    return builder.build();
  },
};
