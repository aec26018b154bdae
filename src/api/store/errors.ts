/** Why the store refused an operation; the API server turns these into Status errors. */
export type StoreErrorCode = 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'Compacted' | 'FutureRevision';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Conflict: the revision the caller expected and the one found. */
    readonly detail: { expected?: number; actual?: number; requested?: number; compacted?: number } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
