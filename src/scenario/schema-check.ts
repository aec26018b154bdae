import { Ajv, type ErrorObject } from 'ajv';
import { SCENARIO_SCHEMA } from './schema.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validate = ajv.compile(SCENARIO_SCHEMA);

const jsonPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? (p === '' ? s : `${p}.${s}`) : `${p}[${JSON.stringify(s)}]`), '');

const join = (path: string, key: string) => (path === '' ? key : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : String(v));
const TYPE_NAMES: Record<string, string> = { string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false', object: 'a mapping', array: 'a list' };

function message(e: ErrorObject): { path: string; message: string } | undefined {
  const path = jsonPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: join(path, String(params['missingProperty'])), message: 'required' };
    case 'additionalProperties': {
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
      return { path: join(path, String(params['additionalProperty'])), message: `unknown field${allowed.length > 0 ? ` (expected one of ${allowed.join(', ')})` : ''}` };
    }
    case 'enum':
      return { path, message: `expected one of ${(params['allowedValues'] as unknown[]).join(', ')}, got ${shown(e.data)}` };
    case 'const':
      return { path, message: `expected ${JSON.stringify(params['allowedValue'])}, got ${shown(e.data)}` };
    case 'type': {
      const types = String(params['type']).split(',').map((t) => TYPE_NAMES[t] ?? t);
      return { path, message: `expected ${types.join(' or ')}, got ${shown(e.data)}` };
    }
    case 'pattern':
      if (String(params['pattern']).includes('ms|s|m|h')) return { path, message: `expected a duration such as 30s, 2m or 1h30m, got ${shown(e.data)}` };
      return { path, message: `must be a lower-case name of letters, digits and '-', starting and ending with a letter or digit, got ${shown(e.data)}` };
    case 'minProperties':
      return { path, message: 'empty step: expected one action (apply, wait, fault, …)' };
    case 'minimum':
      return { path, message: `must be at least ${params['limit']}, got ${shown(e.data)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minItems':
      return { path, message: 'must have at least one value' };
    case 'maxLength':
      return { path, message: `must be at most ${params['limit']} characters` };
    case 'oneOf':
      return path.endsWith('nodes') ? { path, message: 'expected a number of nodes or a list of nodes' } : { path, message: 'does not match any allowed form' };
    default:
      return { path, message: e.message ?? 'invalid' };
  }
}

/** Schema problems with a document, each with its path, in document order and without repeats. */
export function schemaProblems(doc: unknown): Array<{ path: string; message: string }> {
  if (validate(doc)) return [];
  const seen = new Set<string>();
  const out: Array<{ path: string; message: string }> = [];
  const errors = validate.errors ?? [];
  // A failed oneOf reports each branch's errors too; keep the oneOf summary alone.
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && [...oneOfPaths].some((p) => e.instancePath.startsWith(p))) continue;
    const m = message(e);
    if (m === undefined) continue;
    const key = `${m.path}\u0000${m.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}
