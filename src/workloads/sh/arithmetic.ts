/** $(( )) arithmetic: integers, + - * / %, comparisons, parentheses, variables (unset = 0). */
export function arithmetic(expr: string, lookup: (name: string) => string | undefined): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|<=|>=|==|!=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let pos = 0;
  const value = (name: string): number => {
    const v = lookup(name);
    const n = v === undefined || v === '' ? 0 : Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  };
  const primary = (): number => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('arithmetic syntax error');
    if (t === '(') {
      const v = or();
      if (tokens[pos++] !== ')') throw new Error('arithmetic syntax error');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) return value(t);
    throw new Error('arithmetic syntax error');
  };
  const binary = (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
    let v = next();
    while (tokens[pos] !== undefined && tokens[pos]! in ops) {
      const op = tokens[pos++]!;
      v = ops[op]!(v, next());
    }
    return v;
  };
  const mul = binary(primary, { '*': (a, b) => a * b, '/': (a, b) => (b === 0 ? Number.NaN : Math.trunc(a / b)), '%': (a, b) => a % b });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) });
  const eq = binary(cmp, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = binary(eq, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const or = binary(and, { '||': (a, b) => +(a !== 0 || b !== 0) });
  const v = or();
  if (pos !== tokens.length || Number.isNaN(v)) throw new Error('arithmetic syntax error');
  return v;
}
