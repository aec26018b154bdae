import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../scheduler/scheduler.js';
import { GarbageCollector } from '../garbage-collector.js';
import { JobController } from '../job/controller.js';
import { testCluster } from '../testing.js';
import { CronJobController } from './controller.js';
import { missedSchedules, parseSchedule } from './schedule.js';

function cluster(seed: string) {
  const c = testCluster(seed, { nodes: ['node-1'] });
  const host = c.world.host('cp-0');
  new Scheduler(host, c.kcm).start();
  new JobController(host, c.kcm).start();
  new CronJobController(host, c.kcm).start();
  new GarbageCollector(host, c.kcm, c.gateway.api.registry).start();
  const cron = (name: string, schedule: string, script: string, spec: Record<string, unknown> = {}) =>
    c.call({
      verb: 'create', group: 'batch', version: 'v1', resource: 'cronjobs', namespace: 'default',
      body: { metadata: { name, namespace: 'default' }, spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', script] }] } } } }, ...spec } } as any,
    });
  const jobs = (owner: string) => ((c.call({ verb: 'list', group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default' }).body as any).items as any[]).filter((j) => j.metadata.ownerReferences?.[0]?.name === owner && j.metadata.deletionTimestamp === undefined);
  const getCron = (name: string) => c.call({ verb: 'get', group: 'batch', version: 'v1', resource: 'cronjobs', namespace: 'default', name }).body as any;
  return { ...c, cron, jobs, getCron };
}

describe('CronJob controller (upstream pkg/controller/cronjob)', () => {
  it('starts a Job per activation named by minutes since the epoch, tracks lastScheduleTime and lastSuccessfulTime, keeps 3 successful Jobs', () => {
    const c = cluster('cron-basic');
    c.cron('tick', '*/1 * * * *', 'echo tick');
    c.world.sim.advance(6 * 60_000);
    const jobs = c.jobs('tick');
    const complete = jobs.filter((j) => j.status?.conditions?.some((x: any) => x.type === 'Complete'));
    // At 00:06 the 00:06 Job has just started; of the finished ones, successfulJobsHistoryLimit (3) are kept.
    expect(complete.length).toBe(3);
    expect(jobs.length).toBe(4);
    for (const j of jobs) expect(j.metadata.name).toMatch(/^tick-\d{8}$/);
    const cj = c.getCron('tick');
    expect(cj.status.lastScheduleTime).toMatch(/^2026-01-01T00:0[56]:00Z$/);
    expect(cj.status.lastSuccessfulTime).toBeDefined();
    expect(c.events('tick').map((e: any) => e.reason)).toEqual(expect.arrayContaining(['SuccessfulCreate', 'SawCompletedJob', 'SuccessfulDelete']));
  });

  it('Forbid skips activations while a Job runs; Replace swaps the running Job for a new one', () => {
    const c = cluster('cron-policy');
    c.cron('forbid', '*/1 * * * *', 'sleep 150', { concurrencyPolicy: 'Forbid' });
    c.cron('replace', '*/1 * * * *', 'sleep 3600', { concurrencyPolicy: 'Replace' });
    c.world.sim.advance(4 * 60_000 + 30_000);
    // 00:01 runs ~150 s; 00:02 and 00:03 are skipped; 00:04 starts the second.
    expect(c.jobs('forbid').length).toBe(2);
    expect(c.events('forbid').map((e: any) => e.message)).toContain('Not starting job because prior execution is running and concurrency policy is Forbid');
    const replace = c.jobs('replace');
    expect(replace.length).toBe(1);
    expect(c.events('replace').filter((e: any) => e.reason === 'SuccessfulDelete').length).toBeGreaterThanOrEqual(2);
  });

  it('a clock jump of 5 hours on the controller host: one Job for the most recent missed activation; startingDeadlineSeconds drops the stale ones', () => {
    const c = cluster('cron-jump');
    c.cron('hourly', '0 * * * *', 'echo hi', { concurrencyPolicy: 'Forbid' });
    c.cron('bounded', '*/5 * * * *', 'echo hi', { startingDeadlineSeconds: 60 });
    c.world.sim.advance(30_000);
    expect(c.jobs('hourly')).toHaveLength(0);
    c.world.faults.inject({ kind: 'clock-jump', host: 'cp-0', byMs: 5 * 3_600_000 });
    // The controller sleeps until the activation it expected (as upstream's timer, on elapsed time), then sees the jump.
    c.world.sim.advance(5 * 60_000);
    const bounded = c.jobs('bounded');
    expect(bounded).toHaveLength(1);
    expect(bounded[0].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T05:05:00Z');
    c.world.sim.advance(56 * 60_000);
    const hourly = c.jobs('hourly');
    expect(hourly).toHaveLength(1);
    expect(hourly[0].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T06:00:00Z');
  });

  it('parses with a well-kept cron library and counts missed activations (upstream mostRecentScheduleTime)', () => {
    const s = parseSchedule('*/5 * * * *', undefined);
    if ('error' in s) throw new Error(s.error);
    expect(missedSchedules(s, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T01:00:00Z'))).toEqual({ mostRecent: Date.parse('2026-01-01T01:00:00Z'), count: 12 });
    expect(parseSchedule('61 * * * *', undefined)).toMatchObject({ error: expect.stringContaining('61') });
    const berlin = parseSchedule('0 9 * * *', 'Europe/Berlin');
    if ('error' in berlin) throw new Error(berlin.error);
    expect(new Date(berlin.next(Date.parse('2026-01-01T00:00:00Z'))).toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });
});
