import { StatusError } from './status.js';

/** Run `fn` and return the StatusError it throws (tests' helper; anything else is rethrown). */
export function statusErrorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError, but the call succeeded');
}
