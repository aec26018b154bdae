import { CronExpressionParser } from 'cron-parser';

export interface Schedule {
  /** The first activation strictly after `ms`. */
  next(ms: number): number;
}

/** A cron schedule (robfig/cron's standard five fields and @descriptors, as upstream) in a time zone; an error text if invalid. */
export function parseSchedule(expr: string, timeZone: string | undefined): Schedule | { error: string } {
  try {
    // Validate once; cron-parser keeps no global state.
    CronExpressionParser.parse(expr, { currentDate: new Date(0), tz: timeZone ?? 'UTC' });
  } catch (e) {
    return { error: (e as Error).message };
  }
  return {
    next(ms: number): number {
      const it = CronExpressionParser.parse(expr, { currentDate: new Date(ms), tz: timeZone ?? 'UTC' });
      const t = it.next().getTime();
      // cron-parser's next() is after the current minute boundary; upstream Next is strictly after ms.
      return t > ms ? t : it.next().getTime();
    },
  };
}

/** What mostRecentScheduleTime finds: the latest missed activation (if any) and how many were missed. */
export interface Missed {
  mostRecent?: number;
  count: number;
}

/**
 * upstream cronjob utils.go mostRecentScheduleTime: activations after the
 * last schedule time (or creation), no earlier than startingDeadlineSeconds
 * ago, up to now; counting stops past 100 (TooManyMissedTimes) but the most
 * recent is still found.
 */
export function missedSchedules(schedule: Schedule, earliestMs: number, nowMs: number): Missed {
  let count = 0;
  let mostRecent: number | undefined;
  for (let t = schedule.next(earliestMs); t <= nowMs; t = schedule.next(t)) {
    mostRecent = t;
    count++;
    if (count > 10_000) {
      // Walk from near now instead of every activation of a long outage.
      const near = schedule.next(nowMs - 3_600_000);
      if (near <= nowMs) for (let u = near; u <= nowMs; u = schedule.next(u)) mostRecent = u;
      break;
    }
  }
  return { ...(mostRecent !== undefined && { mostRecent }), count };
}
