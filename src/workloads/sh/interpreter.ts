import type { AndOr, Command, List, Pipeline, Word } from './ast.js';
import { arithmetic } from './arithmetic.js';
import { BUILTINS } from './builtins.js';
import { BreakSignal, ContinueSignal, ExitSignal, type CommandIO, type ShContext, type ShProgram, type ShYield } from './context.js';
import { ShSyntaxError } from './lexer.js';
import { parse } from './parser.js';

type Gen<T> = Generator<ShYield, T, void>;

/**
 * A deterministic interpreter for the subset of `sh -c` that the classic
 * Kubernetes examples use (sleep, echo, touch, rm, cat, test/[, exit,
 * if/while/until/for, &&, ||, ;, pipes, redirections, variables, $(( )),
 * $( )). It runs as a generator: every `sleep` is yielded to whoever drives
 * it (the container runtime, on its host's virtual clock), so a script's
 * timing is simulated, never waited for. It returns the exit status.
 * Background jobs (`&`) run in the foreground.
 */
export function* runSh(script: string, ctx: ShContext, positional: string[] = [], stdin = ''): ShProgram {
  let list: List;
  try {
    list = parse(script);
  } catch (e) {
    if (!(e instanceof ShSyntaxError)) throw e;
    ctx.stderr(`sh: ${e.message}\n`);
    return 2;
  }
  const shell = new Shell(ctx, positional);
  try {
    return yield* shell.list(list, shell.io(stdin));
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return shell.status;
    throw e;
  }
}

/** How many simple commands a script runs per millisecond of simulated time. */
const COMMANDS_PER_MS = 1000;

class Shell {
  status = 0;
  private commands = 0;

  constructor(
    private readonly ctx: ShContext,
    private readonly positional: string[],
  ) {}

  io(stdin = ''): CommandIO {
    return { out: (t) => this.ctx.stdout(t), err: (t) => this.ctx.stderr(t), stdin };
  }

  *list(list: List, io: CommandIO): Gen<number> {
    for (const item of list) this.status = yield* this.andOr(item, io);
    return this.status;
  }

  private *andOr(a: AndOr, io: CommandIO): Gen<number> {
    let status = yield* this.pipeline(a.first, io);
    for (const { op, pipeline } of a.rest) {
      if ((op === '&&' && status === 0) || (op === '||' && status !== 0)) status = yield* this.pipeline(pipeline, io);
    }
    return status;
  }

  private *pipeline(p: Pipeline, io: CommandIO): Gen<number> {
    let stdin = io.stdin;
    let status = 0;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      let captured = '';
      const stageIO: CommandIO = { out: last ? io.out : (t) => (captured += t), err: io.err, stdin };
      status = yield* this.command(p.commands[i]!, stageIO);
      stdin = captured;
    }
    this.status = p.negate ? (status === 0 ? 1 : 0) : status;
    return this.status;
  }

  private *command(c: Command, io: CommandIO): Gen<number> {
    switch (c.kind) {
      case 'group':
        return yield* this.list(c.body, io);
      case 'if': {
        for (const b of c.branches) {
          if ((yield* this.list(b.cond, io)) === 0) return yield* this.list(b.body, io);
        }
        return c.otherwise === undefined ? 0 : yield* this.list(c.otherwise, io);
      }
      case 'while': {
        let status = 0;
        for (;;) {
          const cond = yield* this.list(c.cond, io);
          if ((cond === 0) === c.until) break;
          try {
            status = yield* this.list(c.body, io);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (!(e instanceof ContinueSignal)) throw e;
          }
        }
        return status;
      }
      case 'for': {
        const items: string[] = [];
        if (c.items === undefined) items.push(...this.positional);
        else for (const w of c.items) items.push(...(yield* this.expand(w)));
        let status = 0;
        for (const item of items) {
          this.ctx.env.set(c.variable, item);
          try {
            status = yield* this.list(c.body, io);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (!(e instanceof ContinueSignal)) throw e;
          }
        }
        return status;
      }
      case 'simple':
        return yield* this.simple(c, io);
    }
  }

  private *simple(c: Extract<Command, { kind: 'simple' }>, io: CommandIO): Gen<number> {
    // Commands cost time: a loop that never sleeps still lets the clock move (1 ms per 1,000 commands).
    if (++this.commands % COMMANDS_PER_MS === 0) yield { sleepMs: 1 };
    const argv: string[] = [];
    for (const w of c.words) argv.push(...(yield* this.expand(w)));
    const values: Array<[string, string]> = [];
    for (const a of c.assignments) values.push([a.name, (yield* this.expand(a.value, false)).join(' ')]);
    if (argv.length === 0) {
      for (const [k, v] of values) this.ctx.env.set(k, v);
      return 0;
    }
    // Redirections.
    let out = io.out;
    let err = io.err;
    let stdin = io.stdin;
    for (const r of c.redirects) {
      const target = r.target === undefined ? '' : (yield* this.expand(r.target, false)).join(' ');
      if (r.op === '>' || r.op === '>>' || r.op === '2>') {
        const fs = this.ctx.fs;
        if (!fs.write(target, '', r.op === '>>') && !fs.isFile(target)) {
          io.err(`sh: can't create ${target}: nonexistent directory\n`);
          return 1;
        }
        const sink = (t: string): void => void fs.write(target, t, true);
        if (r.op === '2>') err = sink;
        else out = sink;
      } else if (r.op === '<') {
        const content = this.ctx.fs.read(target);
        if (content === undefined) {
          io.err(`sh: can't open ${target}: no such file\n`);
          return 1;
        }
        stdin = content;
      } else if (r.op === '2>&1') err = out;
      else if (r.op === '>&2') out = err;
    }
    const saved = values.map(([k]) => [k, this.ctx.env.get(k)] as const);
    for (const [k, v] of values) this.ctx.env.set(k, v);
    try {
      const [name, ...args] = argv as [string, ...string[]];
      const builtin = BUILTINS[name.replace(/^\/(usr\/)?bin\//, '')];
      if (builtin === undefined) {
        err(`sh: ${name}: not found\n`);
        return 127;
      }
      return yield* builtin(args, { out, err, stdin }, this.ctx, this.status);
    } finally {
      for (const [k, v] of saved) if (v === undefined) this.ctx.env.delete(k); else this.ctx.env.set(k, v);
    }
  }

  /** Expand one word to fields (unquoted expansions split on whitespace). */
  *expand(word: Word, split = true): Gen<string[]> {
    const fields: string[] = [];
    let current = '';
    let started = false;
    for (const part of word) {
      if (part.kind === 'literal') {
        current += part.text;
        started = true;
        continue;
      }
      const text = yield* this.substitute(part.text);
      if (part.quoted || !split) {
        current += text;
        started = true;
        continue;
      }
      // Unquoted: whitespace separates fields.
      const pieces = text.split(/[ \t\n]+/);
      pieces.forEach((piece, i) => {
        if (i > 0) {
          if (started || current !== '') fields.push(current);
          current = '';
          started = false;
        }
        if (piece !== '') {
          current += piece;
          started = true;
        }
      });
    }
    if (started || current !== '') fields.push(current);
    return fields;
  }

  /** $VAR, ${VAR}, ${VAR:-x}, ${VAR:=x}, $?, $#, $@, $*, $1..$9, $$, $(( )), $( ). */
  private *substitute(text: string): Gen<string> {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c !== '$' || i + 1 >= text.length) {
        out += c;
        i++;
        continue;
      }
      const rest = text.slice(i + 1);
      if (rest.startsWith('((')) {
        const end = findClosing(text, i + 1);
        const expr = text.slice(i + 3, end - 1);
        try {
          out += String(arithmetic(yield* this.substitute(expr), (n) => this.lookup(n)));
        } catch {
          this.ctx.stderr(`sh: arithmetic syntax error\n`);
        }
        i = end + 1;
      } else if (rest.startsWith('(')) {
        const end = findClosing(text, i + 1);
        let captured = '';
        const inner = text.slice(i + 2, end);
        const shell = new Shell(this.ctx, this.positional);
        try {
          yield* shell.list(parse(inner), { out: (t) => (captured += t), err: (t) => this.ctx.stderr(t), stdin: '' });
        } catch (e) {
          if (!(e instanceof ExitSignal)) throw e;
        }
        this.status = shell.status;
        out += captured.replace(/\n+$/, '');
        i = end + 1;
      } else if (rest.startsWith('{')) {
        const end = text.indexOf('}', i);
        const inner = text.slice(i + 2, end);
        const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$])(?::?([-=+])(.*))?$/.exec(inner);
        const name = m?.[1] ?? inner;
        const value = this.lookup(name);
        if (m?.[2] === '-') out += value === undefined || value === '' ? yield* this.substitute(m[3] ?? '') : value;
        else if (m?.[2] === '=') {
          if (value === undefined || value === '') {
            const v = yield* this.substitute(m[3] ?? '');
            this.ctx.env.set(name, v);
            out += v;
          } else out += value;
        } else if (m?.[2] === '+') out += value === undefined || value === '' ? '' : yield* this.substitute(m[3] ?? '');
        else out += value ?? '';
        i = end + 1;
      } else {
        const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#@*$])/.exec(rest);
        if (m === null) {
          out += '$';
          i++;
        } else {
          out += this.lookup(m[1]!) ?? '';
          i += 1 + m[1]!.length;
        }
      }
    }
    return out;
  }

  private lookup(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '#') return String(this.positional.length);
    if (name === '@' || name === '*') return this.positional.join(' ');
    if (name === '$') return '1';
    if (/^[0-9]$/.test(name)) return name === '0' ? 'sh' : this.positional[Number(name) - 1];
    return this.ctx.env.get(name);
  }
}

function findClosing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length - 1;
}
