/** A kubectl command line split into its verb, arguments and flags (the subset Crucible's views use). */
export interface KubectlArgs {
  verb: string;
  args: string[];
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  selector?: string;
  fieldSelector?: string;
  container?: string;
  previous: boolean;
  tail?: number;
  timestamps: boolean;
  showLabels: boolean;
  revision?: number;
  /** --timeout (rollout status), as a Go duration. */
  timeout?: string;
  /** --watch (rollout status; default true). */
  watch: boolean;
}

/** An error kubectl reports for a command line it cannot take. */
export class UsageError extends Error {}

/** Split a command line as a shell would (single and double quotes; no expansion). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (const ch of line) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur !== '' || any) words.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (quote !== undefined) throw new UsageError(`unterminated quote in: ${line}`);
  if (cur !== '' || any) words.push(cur);
  return words;
}

const VALUE_FLAGS: Record<string, keyof KubectlArgs> = {
  '-n': 'namespace', '--namespace': 'namespace', '-o': 'output', '--output': 'output', '-l': 'selector', '--selector': 'selector', '--field-selector': 'fieldSelector',
  '-c': 'container', '--container': 'container', '--tail': 'tail', '--revision': 'revision', '--timeout': 'timeout',
};
const BOOL_FLAGS: Record<string, keyof KubectlArgs> = { '-w': 'watch', '--watch': 'watch', '-A': 'allNamespaces', '--all-namespaces': 'allNamespaces', '-p': 'previous', '--previous': 'previous', '--timestamps': 'timestamps', '--show-labels': 'showLabels' };

export function parseArgs(line: string): KubectlArgs {
  const words = splitWords(line.replace(/^\s*kubectl\s+/, ''));
  const out: KubectlArgs = { verb: '', args: [], allNamespaces: false, previous: false, timestamps: false, showLabels: false, watch: true };
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    let value: string | undefined;
    const eq = w.indexOf('=');
    if (w.startsWith('-') && eq > 0) {
      value = w.slice(eq + 1);
      w = w.slice(0, eq);
    }
    if (VALUE_FLAGS[w] !== undefined) {
      value ??= words[++i];
      if (value === undefined) throw new UsageError(`flag needs an argument: '${w.replace(/^-+/, '')}' in ${w}`);
      const key = VALUE_FLAGS[w]!;
      if (key === 'tail' || key === 'revision') {
        if (!/^-?\d+$/.test(value)) throw new UsageError(`invalid argument "${value}" for "${w}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
        (out as unknown as Record<string, unknown>)[key] = Number(value);
      } else (out as unknown as Record<string, unknown>)[key] = value;
    } else if (BOOL_FLAGS[w] !== undefined) (out as unknown as Record<string, unknown>)[BOOL_FLAGS[w]!] = value === undefined ? true : value === 'true';
    else if (w.startsWith('-')) throw new UsageError(`unknown flag: ${w}`);
    else if (out.verb === '') out.verb = w;
    else out.args.push(w);
  }
  return out;
}
