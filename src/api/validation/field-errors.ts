/**
 * Field-level validation errors, formatted exactly as apimachinery's
 * `field.Error` prints them (k8s apimachinery/pkg/util/validation/field/errors.go):
 *
 *   metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must ...
 *   spec.containers[0].image: Required value
 *   spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
 */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Marks an error whose value is not printed. */
const OMIT = Symbol('omit');

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    /** The field path, e.g. `spec.template.metadata.labels`. */
    readonly field: string,
    readonly badValue: unknown,
    readonly detail: string,
  ) {}

  /** The message without the field, as upstream's ErrorBody. */
  body(): string {
    let s: string;
    const plain = this.type === 'FieldValueRequired' || this.type === 'FieldValueForbidden' || this.type === 'FieldValueTooLong' || this.type === 'InternalError';
    if (plain || this.badValue === OMIT) s = TYPE_TEXT[this.type];
    else s = `${TYPE_TEXT[this.type]}: ${formatValue(this.badValue)}`;
    if (this.detail.length > 0) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

/**
 * How upstream prints a bad value: %q for strings, %v for numbers and
 * booleans, "null" for nothing, and Go's %#v for the label maps and string
 * lists that appear in API errors (`map[string]string{"app":"nginx"}`, keys
 * sorted as Go prints them). Anything else is shown as JSON.
 */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return `[]string{${value.map(goQuote).join(', ')}}`;
  if (typeof value === 'object' && Object.values(value as object).every((v) => typeof v === 'string')) {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${goQuote(k)}:${goQuote((value as Record<string, string>)[k]!)}`);
    return `map[string]string{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** Go's strconv.Quote for the characters that matter here. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => new FieldError('FieldValueRequired', field, '', detail),
  invalid: (field: string, value: unknown, detail: string): FieldError => new FieldError('FieldValueInvalid', field, value, detail),
  notSupported: (field: string, value: unknown, valid: readonly string[]): FieldError =>
    new FieldError('FieldValueNotSupported', field, value, valid.length > 0 ? `supported values: ${valid.map(goQuote).join(', ')}` : ''),
  forbidden: (field: string, detail: string): FieldError => new FieldError('FieldValueForbidden', field, '', detail),
  duplicate: (field: string, value: unknown): FieldError => new FieldError('FieldValueDuplicate', field, value, ''),
  notFound: (field: string, value: unknown): FieldError => new FieldError('FieldValueNotFound', field, value, ''),
  tooLong: (field: string, maxBytes: number): FieldError => new FieldError('FieldValueTooLong', field, '', `must have at most ${maxBytes} bytes`),
  /** A string over a schema's maxLength (apimachinery field.TooLongMaxLength). */
  tooLongMaxLength: (field: string, maxLength: number): FieldError => new FieldError('FieldValueTooLong', field, '', `may not be longer than ${maxLength}`),
  tooMany: (field: string, actual: number, max: number): FieldError => new FieldError('FieldValueTooMany', field, actual, `must have at most ${max} items`),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => new FieldError('FieldValueTypeInvalid', field, value, detail),
  omitValue: OMIT,
};

/**
 * An aggregate's text, as upstream's utilerrors.Aggregate: one error alone,
 * several in brackets joined by ", ", duplicates dropped.
 */
export function aggregateMessage(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const e of errors) {
    const t = e.toString();
    if (!seen.has(t)) {
      seen.add(t);
      texts.push(t);
    }
  }
  return texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
}
