import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../scheduler/scheduler.js';
import { GarbageCollector } from '../garbage-collector.js';
import { testCluster } from '../testing.js';
import { JobController } from './controller.js';
import { TTLAfterFinishedController } from './ttl-after-finished.js';

function cluster(seed: string) {
  const c = testCluster(seed);
  const host = c.world.host('cp-0');
  new Scheduler(host, c.kcm).start();
  new JobController(host, c.kcm).start();
  new TTLAfterFinishedController(host, c.kcm).start();
  new GarbageCollector(host, c.kcm, c.gateway.api.registry).start();
  const job = (name: string, script: string, spec: Record<string, unknown> = {}) =>
    c.call({ verb: 'create', group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default', body: { metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }] } }, ...spec } } as any });
  const getJob = (name: string) => c.call({ verb: 'get', group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default', name }).body as any;
  const pods = (name: string) => ((c.call({ verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default', query: { labelSelector: `batch.kubernetes.io/job-name=${name}` } }).body as any).items as any[]);
  return { ...c, job, getJob, pods };
}
const cond = (j: any, type: string) => j.status?.conditions?.find((c: any) => c.type === type);

describe('Job controller (upstream pkg/controller/job)', () => {
  it('runs parallel pods to the completion count, then Complete with upstream reason, event and completionTime', () => {
    const c = cluster('job-complete');
    c.job('pi', 'echo computing; sleep 5', { completions: 3, parallelism: 2 });
    c.world.sim.advance(60_000);
    const j = c.getJob('pi');
    expect(j.status).toMatchObject({ succeeded: 3, startTime: expect.any(String), completionTime: expect.any(String) });
    expect(j.status.active).toBeUndefined();
    expect(cond(j, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    // The interim condition comes first, with the same reason and message.
    expect(j.status.conditions.map((x: any) => `${x.type} ${x.reason}`)).toEqual(['SuccessCriteriaMet CompletionsReached', 'Complete CompletionsReached']);
    expect(c.pods('pi')).toHaveLength(3);
    const events = c.events('pi').map((e: any) => `${e.reason} ${e.message}`);
    expect(events.filter((e: string) => e.startsWith('SuccessfulCreate Created pod: pi-'))).toHaveLength(3);
    expect(events).toContain('Completed Job completed');
  });

  it('retries failures after 10 s, 20 s … and fails past backoffLimit with BackoffLimitExceeded', () => {
    const c = cluster('job-backoff');
    c.job('flaky', 'exit 1', { backoffLimit: 2 });
    c.world.sim.advance(120_000);
    const j = c.getJob('flaky');
    expect(cond(j, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(j.status.failed).toBe(3);
    const created = c.pods('flaky').map((p) => Date.parse(p.metadata.creationTimestamp)).sort((a, b) => a - b);
    expect(created).toHaveLength(3);
    // Each retry waits for the back-off after the previous failure (10 s, then 20 s), plus pod start-up.
    expect(created[1]! - created[0]!).toBeGreaterThanOrEqual(10_000);
    expect(created[2]! - created[1]!).toBeGreaterThanOrEqual(20_000);
    expect(created[2]! - created[1]!).toBeLessThan(30_000);
    expect(c.events('flaky').map((e: any) => `${e.type} ${e.reason} ${e.message}`)).toContain('Warning BackoffLimitExceeded Job has reached the specified backoff limit');
  });

  it('activeDeadlineSeconds fails the job and stops its pods: FailureTarget first, Failed once they have stopped (job_controller.go, 1.31+)', () => {
    const c = cluster('job-deadline');
    c.job('slow', 'sleep 3600', { activeDeadlineSeconds: 30 });
    c.world.sim.advance(40_000);
    const failing = c.getJob('slow');
    expect(cond(failing, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(cond(failing, 'Failed')).toBeUndefined();
    expect(failing.status.terminating).toBe(1);
    c.world.sim.advance(60_000);
    expect(cond(c.getJob('slow'), 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(c.getJob('slow').status.conditions.map((x: any) => x.type)).toEqual(['FailureTarget', 'Failed']);
    expect(c.pods('slow').every((p) => p.metadata.deletionTimestamp !== undefined || p.status.phase === 'Failed')).toBe(true);
  });

  it('Indexed: one pod per index with JOB_COMPLETION_INDEX, completedIndexes, hostname', () => {
    const c = cluster('job-indexed');
    c.job('shard', 'echo index=$JOB_COMPLETION_INDEX', { completions: 3, parallelism: 3, completionMode: 'Indexed' });
    c.world.sim.advance(60_000);
    const j = c.getJob('shard');
    expect(j.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    const pods = c.pods('shard');
    expect(pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      expect(p.metadata.name).toMatch(new RegExp(`^shard-${i}-[a-z0-9]{5}$`));
      expect(p.spec.hostname).toBe(`shard-${i}`);
      const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: p.metadata.name, subresource: 'log' }).body as any;
      expect(logs.text).toBe(`index=${i}\n`);
    }
  });

  it('podFailurePolicy FailJob on an exit code fails at once; Ignore does not count', () => {
    const c = cluster('job-policy');
    c.job('strict', 'exit 42', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] } });
    c.world.sim.advance(30_000);
    const j = c.getJob('strict');
    expect(cond(j, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy', message: expect.stringMatching(/^Container main for pod default\/strict-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/) });
  });

  it('ttlSecondsAfterFinished deletes the finished Job, and its pods with it', () => {
    const c = cluster('job-ttl');
    c.job('once', 'echo hi', { ttlSecondsAfterFinished: 20 });
    c.world.sim.advance(10_000);
    expect(cond(c.getJob('once'), 'Complete')).toBeDefined();
    c.world.sim.advance(30_000);
    expect(c.call({ verb: 'get', group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default', name: 'once' }).error).toMatchObject({ code: 404 });
    expect(c.pods('once')).toEqual([]);
  });
});
