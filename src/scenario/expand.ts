import type { ScenarioDocument, Step } from './types.js';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE = /^\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** Replace `${{ name }}` in every string; a string that is only a placeholder takes the value's own type. */
export function substitute<T>(value: T, params: Record<string, unknown>): T {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole !== null && whole[1]! in params) return params[whole[1]!] as T;
    return value.replace(PLACEHOLDER, (m, name: string) => (name in params ? String(params[name]) : m)) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params)])) as T;
  return value;
}

/** Placeholders left in a value (names not given). */
export function placeholders(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) out.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) placeholders(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) placeholders(v, out);
  return out;
}

/** Every combination of a matrix, in order (the first key varies slowest). */
export function combinations(matrix: Record<string, unknown[]> | undefined): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return out;
}

/** `web[replicas=3,surge=1]`: a matrix run's name. */
export function runName(name: string, params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? name : `${name}[${entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(',')}]`;
}

/** Inline `use` steps: each becomes a group (a `try` without `catch`) of the template's steps with its parameters filled in. */
export function inlineTemplates(steps: Step[], templates: NonNullable<ScenarioDocument['spec']['templates']>, depth = 0): Step[] {
  if (depth > 10) throw new Error('templates nest more than 10 deep (a template uses itself?)');
  return steps.map((step) => {
    if ('use' in step) {
      const t = templates[step.use]!;
      const body = inlineTemplates(substitute(t.steps, step.with ?? {}), templates, depth + 1);
      return { name: step.name ?? step.use, try: body };
    }
    if ('try' in step) {
      return {
        ...step,
        try: inlineTemplates(step.try, templates, depth + 1),
        ...(step.catch !== undefined && { catch: inlineTemplates(step.catch, templates, depth + 1) }),
        ...(step.finally !== undefined && { finally: inlineTemplates(step.finally, templates, depth + 1) }),
      };
    }
    return step;
  });
}
