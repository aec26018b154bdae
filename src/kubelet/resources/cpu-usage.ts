/**
 * A container's cumulative CPU time, as cAdvisor reports it
 * (container_cpu_usage_seconds_total on the kubelet's /metrics/resource):
 * the CPU the node granted it, integrated over time. The rate changes when
 * the kubelet re-divides the node's CPU or the container stops.
 */
export class CpuUsage {
  /** Core-nanoseconds used up to `sinceMs`. */
  private baseCoreNanoSeconds = 0;
  private rateMillicores = 0;
  private sinceMs: number;

  constructor(startMs: number) {
    this.sinceMs = startMs;
  }

  /** From `nowMs` on, the container uses `millicores`. */
  setRate(millicores: number, nowMs: number): void {
    this.baseCoreNanoSeconds = this.usageCoreNanoSeconds(nowMs);
    this.sinceMs = Math.max(this.sinceMs, nowMs);
    this.rateMillicores = millicores;
  }

  get millicores(): number {
    return this.rateMillicores;
  }

  /** Core-nanoseconds used up to `nowMs` (1 millicore for 1 ms is 1,000 core-ns). */
  usageCoreNanoSeconds(nowMs: number): number {
    return this.baseCoreNanoSeconds + this.rateMillicores * Math.max(0, nowMs - this.sinceMs) * 1000;
  }
}
