/**
 * kubectl's JSONPath templates (client-go util/jsonpath), the part people
 * use: `{.metadata.name}`, `{.items[*].metadata.name}`, indexes and
 * slices, `[?(@.type=="Ready")]` filters, `{range …}{end}`, and quoted
 * text such as `{"\n"}`. Several results print space-separated.
 */
export class JsonPathError extends Error {}

type Node = { kind: 'text'; text: string } | { kind: 'path'; path: string } | { kind: 'range'; path: string; body: Node[] };

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i, open) });
    const close = findClose(template, open);
    const inner = template.slice(open + 1, close).trim();
    i = close + 1;
    if (inner.startsWith('range ')) {
      const node: Node = { kind: 'range', path: inner.slice(6).trim(), body: [] };
      stack[stack.length - 1]!.push(node);
      stack.push(node.body);
    } else if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
    } else if (inner.startsWith('"') || inner.startsWith("'")) stack[stack.length - 1]!.push({ kind: 'text', text: JSON.parse(inner.startsWith("'") ? `"${inner.slice(1, -1)}"` : inner) as string });
    else stack[stack.length - 1]!.push({ kind: 'path', path: inner });
  }
  if (stack.length > 1) throw new JsonPathError('unclosed range');
  return root;
}

function findClose(s: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  throw new JsonPathError(`unclosed action in ${s}`);
}

/** Evaluate one path (`.items[*].metadata.name`, `@.status`) from `data`; returns every match. */
export function evalPath(path: string, data: unknown): unknown[] {
  let current: unknown[] = [data];
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  if (rest.startsWith('@')) rest = rest.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('..')) {
      const m = /^\.\.([A-Za-z0-9_-]+)/.exec(rest);
      if (m === null) throw new JsonPathError(`unrecognized path ${path}`);
      const found: unknown[] = [];
      const walk = (v: unknown): void => {
        if (v === null || typeof v !== 'object') return;
        if (!Array.isArray(v) && m[1]! in (v as object)) found.push((v as Record<string, unknown>)[m[1]!]);
        for (const x of Object.values(v as object)) walk(x);
      };
      current.forEach(walk);
      current = found;
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith('.')) {
      const m = /^\.([A-Za-z0-9_\-/]*)/.exec(rest)!;
      if (m[1] !== '') current = current.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && m[1]! in (v as object) ? [(v as Record<string, unknown>)[m[1]!]] : []));
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith('[')) {
      const close = rest.indexOf(']', rest.startsWith('[?(') ? rest.indexOf(')]') : 0);
      const inside = rest.slice(1, close);
      rest = rest.slice(close + 1);
      if (inside.startsWith('?(')) {
        const filter = inside.slice(2, -1);
        const f = /^(@[^<>=!]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(filter);
        current = current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((item) => {
          if (f === null) return evalPath(filter, item).length > 0;
          const left = evalPath(f[1]!, item)[0];
          const rightText = f[3]!.trim();
          const right = /^["']/.test(rightText) ? rightText.slice(1, -1) : Number(rightText);
          switch (f[2]) {
            case '==': return left === right || String(left) === String(right);
            case '!=': return String(left) !== String(right);
            case '<': return Number(left) < Number(right);
            case '>': return Number(left) > Number(right);
            case '<=': return Number(left) <= Number(right);
            default: return Number(left) >= Number(right);
          }
        });
      } else if (inside === '*') current = current.flatMap((v) => (Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v as object) : []));
      else if (/^'.*'$|^".*"$/.test(inside)) current = current.flatMap((v) => (v !== null && typeof v === 'object' && inside.slice(1, -1) in (v as object) ? [(v as Record<string, unknown>)[inside.slice(1, -1)]] : []));
      else {
        const slice = /^(-?\d*):(-?\d*)$/.exec(inside);
        current = current.flatMap((v) => {
          if (!Array.isArray(v)) return [];
          if (slice !== null) return v.slice(slice[1] === '' ? 0 : Number(slice[1]), slice[2] === '' ? undefined : Number(slice[2]));
          const n = Number(inside);
          if (!Number.isInteger(n)) throw new JsonPathError(`invalid array index ${inside}`);
          const idx = n < 0 ? v.length + n : n;
          if (idx < 0 || idx >= v.length) throw new JsonPathError(`array index out of bounds: index ${n}, length ${v.length}`);
          return [v[idx]];
        });
      }
    } else throw new JsonPathError(`unrecognized character in action: U+${rest.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} '${rest[0]}'`);
  }
  return current;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Render a template against `data`, as `kubectl get -o jsonpath=…` does. */
export function renderJsonPath(template: string, data: unknown): string {
  const render = (nodes: Node[], scope: unknown): string =>
    nodes
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'path') return evalPath(n.path, scope).map(show).join(' ');
        return evalPath(n.path, scope).map((item) => render(n.body, item)).join('');
      })
      .join('');
  return render(parseTemplate(template), data);
}
