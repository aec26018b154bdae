/** upstream ExpectationsTimeout: expectations older than this are given up on. */
export const EXPECTATIONS_TIMEOUT_MS = 300_000;

interface Expectation {
  adds: number;
  dels: number;
  setAtMs: number;
  /** Keys of pods expected to go (upstream UIDTrackingControllerExpectations). */
  deleting: Set<string>;
}

/**
 * upstream controller_utils.go ControllerExpectations: a controller that
 * asked for N creations or deletions does not act on its key again until
 * its informer has seen them (or 5 minutes pass), so a stale cache never
 * makes it create twice. Times are the controller's own clock.
 */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly now: () => number) {}

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (e === undefined) return true;
    if (e.adds <= 0 && e.dels <= 0) return true;
    return this.now() - e.setAtMs > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { adds: n, dels: 0, setAtMs: this.now(), deleting: new Set() });
  }

  expectDeletions(key: string, pods: readonly string[]): void {
    this.byKey.set(key, { adds: 0, dels: pods.length, setAtMs: this.now(), deleting: new Set(pods) });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e !== undefined) e.adds--;
  }

  deletionObserved(key: string, pod: string): void {
    const e = this.byKey.get(key);
    if (e !== undefined && e.deleting.delete(pod)) e.dels--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
