/**
 * A body that cannot be turned into the kind at all (a malformed quantity, a
 * string where a number belongs). Upstream rejects these while decoding,
 * before validation, with 400 and `<Kind> in version "<v>" cannot be handled
 * as a <Kind>: <reason>`.
 */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}
