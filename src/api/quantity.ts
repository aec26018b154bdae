/**
 * Resource quantities (upstream k8s.io/apimachinery/pkg/api/resource):
 * `100m`, `64Mi`, `1.5Gi`, `2`, `1e3`. Values are kept in base units
 * (cores, bytes) as numbers; requests and limits compare and sum exactly
 * for the magnitudes clusters use (milli-cores, bytes up to petabytes).
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** In base units: cores for cpu, bytes for memory and storage. */
  readonly value: number;
  readonly format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** upstream's message for a string that is not a quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const PATTERN = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/;

/** Parse a quantity; throws an Error with upstream's message when it is not one. */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new Error(QUANTITY_FORMAT_ERROR);
    return { value: input, format: 'DecimalSI' };
  }
  const m = PATTERN.exec(input.trim() === input ? input : '');
  if (m === null) throw new Error(QUANTITY_FORMAT_ERROR);
  const number = Number(m[1]);
  const suffix = m[2]!;
  if (suffix in BINARY) return { value: number * BINARY[suffix]!, format: 'BinarySI' };
  if (suffix in DECIMAL) return { value: round(number * DECIMAL[suffix]!), format: 'DecimalSI' };
  const exp = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  if (exp !== null) return { value: round(number * 10 ** Number(exp[1])), format: 'DecimalExponent' };
  throw new Error(QUANTITY_FORMAT_ERROR);
}

/** Parse, or undefined when the string is not a quantity. */
export function tryParseQuantity(input: unknown): Quantity | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

/** The value in thousandths, rounded up as upstream's MilliValue does (cpu accounting). */
export function milliValue(q: Quantity): number {
  return Math.ceil(round(q.value * 1000));
}

/** Compare two quantities: negative, zero or positive. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.value - b.value;
}

/** Remove binary floating-point noise from decimal scaling (0.1 * 1e-3 and friends). */
function round(v: number): number {
  return Number(v.toPrecision(15));
}

/**
 * The canonical text of a quantity, as kubectl shows it: binary suffixes for
 * BinarySI values that divide evenly, decimal suffixes otherwise, `m` for
 * fractions (`500m`).
 */
export function formatQuantity(q: Quantity): string {
  const v = q.value;
  if (v === 0) return '0';
  if (q.format === 'BinarySI' && Number.isInteger(v)) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const base = BINARY[suffix]!;
      if (Math.abs(v) >= base && v % base === 0) return `${v / base}${suffix}`;
    }
    return String(v);
  }
  if (!Number.isInteger(v)) {
    const milli = round(v * 1000);
    if (Number.isInteger(milli)) return `${milli}m`;
    const micro = round(v * 1e6);
    if (Number.isInteger(micro)) return `${micro}u`;
    return `${Math.ceil(round(v * 1e9))}n`;
  }
  for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k']) {
    const base = DECIMAL[suffix]!;
    if (Math.abs(v) >= base && v % base === 0) return `${v / base}${suffix}`;
  }
  return String(v);
}
