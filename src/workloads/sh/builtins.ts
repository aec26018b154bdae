import { BreakSignal, ContinueSignal, ExitSignal, type CommandIO, type ShContext, type ShYield } from './context.js';
import { MemoryFs } from './fs.js';
import { tar } from './tar.js';

type Builtin = (args: string[], io: CommandIO, ctx: ShContext, status: number) => Generator<ShYield, number, void>;

function* done(code: number): Generator<ShYield, number, void> {
  return code;
}

const SLEEP_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `date` as busybox prints it: `Thu Jan  1 00:00:05 UTC 2026`. */
function dateText(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** busybox `test` / `[`: file tests, string and integer comparisons, !, -a, -o. */
export function evaluateTest(args: string[], fs: MemoryFs): boolean {
  const expr = (a: string[]): boolean => {
    const or = a.indexOf('-o');
    if (or > 0) return expr(a.slice(0, or)) || expr(a.slice(or + 1));
    const and = a.indexOf('-a');
    if (and > 0) return expr(a.slice(0, and)) && expr(a.slice(and + 1));
    if (a[0] === '!') return !expr(a.slice(1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) {
      const [op, v] = a as [string, string];
      switch (op) {
        case '-e':
          return fs.exists(v);
        case '-f':
          return fs.isFile(v);
        case '-d':
          return fs.isDir(v);
        case '-s':
          return (fs.read(v) ?? '').length > 0;
        case '-r':
        case '-w':
        case '-x':
          return fs.exists(v);
        case '-z':
          return v === '';
        case '-n':
          return v !== '';
      }
      throw new Error(`${op}: unary operator expected`);
    }
    const [l, op, r] = a as [string, string, string];
    const n = (s: string): number => {
      if (!/^\s*-?\d+\s*$/.test(s)) throw new Error(`invalid number '${s}'`);
      return Number(s);
    };
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '-eq':
        return n(l) === n(r);
      case '-ne':
        return n(l) !== n(r);
      case '-lt':
        return n(l) < n(r);
      case '-le':
        return n(l) <= n(r);
      case '-gt':
        return n(l) > n(r);
      case '-ge':
        return n(l) >= n(r);
    }
    throw new Error('unknown operand');
  };
  return expr(args);
}

function* test(name: string, args: string[], io: CommandIO, ctx: ShContext): Generator<ShYield, number, void> {
  let list = args;
  if (name === '[') {
    if (list[list.length - 1] !== ']') {
      io.err('[: missing ]\n');
      return 2;
    }
    list = list.slice(0, -1);
  }
  try {
    return evaluateTest(list, ctx.fs) ? 0 : 1;
  } catch (e) {
    io.err(`sh: ${(e as Error).message}\n`);
    return 2;
  }
}

export const BUILTINS: Record<string, Builtin> = {
  ':': () => done(0),
  tar,
  true: () => done(0),
  false: () => done(1),
  *echo(args, io) {
    let newline = true;
    let escapes = false;
    while (args[0] === '-n' || args[0] === '-e') {
      if (args[0] === '-n') newline = false;
      else escapes = true;
      args = args.slice(1);
    }
    let text = args.join(' ');
    if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    io.out(text + (newline ? '\n' : ''));
    return 0;
  },
  *printf(args, io) {
    const [format = '', ...values] = args;
    let i = 0;
    const text = format.replace(/%([sd%])/g, (_m, c: string) => (c === '%' ? '%' : c === 'd' ? String(Number.parseInt(values[i++] ?? '0', 10) || 0) : (values[i++] ?? '')));
    io.out(text.replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
    return 0;
  },
  *sleep(args, io) {
    let total = 0;
    for (const a of args) {
      if (a === 'infinity' || a === 'inf') {
        yield { sleepMs: Infinity };
        return 0;
      }
      const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(a);
      if (m === null) {
        io.err(`sleep: invalid number '${a}'\n`);
        return 1;
      }
      total += Number(m[1]) * SLEEP_UNITS[m[2]!]!;
    }
    if (args.length === 0) {
      io.err('sleep: applet requires an argument\n');
      return 1;
    }
    yield { sleepMs: Math.round(total) };
    return 0;
  },
  *touch(args, io, ctx) {
    let code = 0;
    for (const f of args) {
      if (!ctx.fs.exists(f) && !ctx.fs.write(f, '')) {
        io.err(`touch: ${f}: No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  },
  *rm(args, io, ctx) {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const force = flags.includes('f');
    const recursive = flags.includes('r') || flags.includes('R');
    let code = 0;
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      const r = ctx.fs.remove(f, recursive);
      if (r === 'missing' && !force) {
        io.err(`rm: can't remove '${f}': No such file or directory\n`);
        code = 1;
      } else if (r === 'is-dir') {
        io.err(`rm: '${f}' is a directory\n`);
        code = 1;
      }
    }
    return code;
  },
  *cat(args, io, ctx) {
    if (args.length === 0) {
      io.out(io.stdin);
      return 0;
    }
    let code = 0;
    for (const f of args) {
      const content = ctx.fs.read(f);
      if (content === undefined) {
        io.err(ctx.fs.isDir(f) ? `cat: read error: Is a directory\n` : `cat: can't open '${f}': No such file or directory\n`);
        code = 1;
      } else io.out(content);
    }
    return code;
  },
  *mkdir(args, io, ctx) {
    const parents = args.includes('-p');
    let code = 0;
    for (const d of args.filter((a) => !a.startsWith('-'))) {
      const r = ctx.fs.mkdir(d, parents);
      if (r === 'exists') {
        io.err(`mkdir: can't create directory '${d}': File exists\n`);
        code = 1;
      } else if (r === 'missing-parent') {
        io.err(`mkdir: can't create directory '${d}': No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  },
  *ls(args, io, ctx) {
    const paths = args.filter((a) => !a.startsWith('-'));
    let code = 0;
    for (const p of paths.length === 0 ? ['/'] : paths) {
      const names = ctx.fs.list(p);
      if (names !== undefined) io.out(names.map((n) => `${n}\n`).join(''));
      else if (ctx.fs.isFile(p)) io.out(`${p}\n`);
      else {
        io.err(`ls: ${p}: No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  },
  *env(_args, io, ctx) {
    io.out([...ctx.env].map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  },
  *printenv(args, io, ctx) {
    if (args.length === 0) {
      io.out([...ctx.env].map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    let code = 0;
    for (const name of args) {
      const v = ctx.env.get(name);
      if (v === undefined) code = 1;
      else io.out(`${v}\n`);
    }
    return code;
  },
  *export(args, _io, ctx) {
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) ctx.env.set(a.slice(0, eq), a.slice(eq + 1));
    }
    return 0;
  },
  *unset(args, _io, ctx) {
    for (const a of args) ctx.env.delete(a);
    return 0;
  },
  *date(_args, io, ctx) {
    io.out(`${dateText(ctx.now())}\n`);
    return 0;
  },
  *hostname(_args, io, ctx) {
    io.out(`${ctx.hostname}\n`);
    return 0;
  },
  *pwd(_args, io) {
    io.out('/\n');
    return 0;
  },
  cd: () => done(0),
  wait: () => done(0),
  kill: () => done(0),
  *trap(args, _io, ctx) {
    const [command, ...signals] = args;
    for (const s of signals) ctx.traps.set(s.replace(/^SIG/, ''), command ?? '');
    return 0;
  },
  *seq(args, io) {
    const nums = args.map(Number);
    const [first, last] = nums.length === 1 ? [1, nums[0]!] : [nums[0]!, nums[1]!];
    const lines: string[] = [];
    for (let i = first; i <= last; i++) lines.push(`${i}\n`);
    io.out(lines.join(''));
    return 0;
  },
  *exit(args, _io, _ctx, status) {
    throw new ExitSignal(args[0] === undefined ? status : Number.parseInt(args[0], 10) & 255);
  },
  *break() {
    throw new BreakSignal();
  },
  *continue() {
    throw new ContinueSignal();
  },
  *test(args, io, ctx) {
    return yield* test('test', args, io, ctx);
  },
  *'['(args, io, ctx) {
    return yield* test('[', args, io, ctx);
  },
};

export { MemoryFs };
