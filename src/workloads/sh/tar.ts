import type { CommandIO, ShContext, ShYield } from './context.js';
import { MemoryFs } from './fs.js';

/**
 * busybox `tar`, the part `kubectl cp` uses: `tar cf - PATH…` writes a
 * ustar archive to stdout, `tar xf - [-C DIR]` reads one from stdin (`m`
 * and `v` accepted). The archive travels as a byte string (one char per
 * byte, latin1); file contents inside are UTF-8.
 */
export function* tar(args: string[], io: CommandIO, ctx: ShContext): Generator<ShYield, number, void> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`tar: ${parsed}\n`);
    return 1;
  }
  const { mode, file, dir, paths } = parsed;
  if (file !== '-') {
    io.err(`tar: can't open '${file}': only - (stdin or stdout) is supported here\n`);
    return 1;
  }
  const base = dir === undefined ? '/' : MemoryFs.normalise(dir);
  if (mode === 'c') return yield* create(paths, base, io, ctx);
  return yield* extract(io.stdin, base, io, ctx);
}

type Args = { mode: 'c' | 'x'; file: string | undefined; dir: string | undefined; paths: string[] };

function parseArgs(args: string[]): Args | string {
  let mode: 'c' | 'x' | undefined;
  let file: string | undefined;
  let dir: string | undefined;
  const paths: string[] = [];
  const rest = [...args];
  // The first word may be bundled flags without a dash (`cf`), as tar allows.
  if (rest[0] !== undefined && !rest[0].startsWith('-')) rest[0] = `-${rest[0]}`;
  while (rest.length > 0) {
    const a = rest.shift()!;
    if (a === '-C') {
      dir = rest.shift();
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      paths.push(a);
      continue;
    }
    for (const flag of a.slice(1)) {
      if (flag === 'c' || flag === 'x') mode = flag;
      else if (flag === 'f') file = rest.shift();
      else if (flag === 'z' || flag === 'j' || flag === 'J') return `compression (-${flag}) is not supported here`;
      else if (flag !== 'm' && flag !== 'v' && flag !== 'o' && flag !== 'p') return `invalid option -- '${flag}'`;
    }
  }
  if (mode === undefined) return 'need to specify one of -c or -x';
  return { mode, file, dir, paths };
}

const BLOCK = 512;
const utf8ToBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const bytesToUtf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header block. */
function header(name: string, size: number, type: '0' | '5', mtimeSeconds: number): string {
  const field = (s: string, width: number) => (s + '\0'.repeat(width)).slice(0, width);
  let h =
    field(name, 100) + octal(type === '5' ? 0o755 : 0o644, 8) + octal(0, 8) + octal(0, 8) + octal(size, 12) + octal(mtimeSeconds, 12) + ' '.repeat(8) + type + field('', 100) + field('ustar', 6) + '00' + field('root', 32) + field('root', 32) + field('', 8) + field('', 8) + field('', 155);
  h = field(h, BLOCK);
  let sum = 0;
  for (let i = 0; i < h.length; i++) sum += h.charCodeAt(i);
  return h.slice(0, 148) + `${sum.toString(8).padStart(6, '0')}\0 ` + h.slice(156);
}

function* create(paths: string[], base: string, io: CommandIO, ctx: ShContext): Generator<ShYield, number, void> {
  if (paths.length === 0) {
    io.err('tar: empty archive\n');
    return 1;
  }
  let out = '';
  let code = 0;
  let warned = false;
  const mtime = Math.floor(ctx.now() / 1000);
  const add = (abs: string, name: string): void => {
    if (ctx.fs.isDir(abs)) {
      out += header(`${name}/`, 0, '5', mtime);
      for (const child of ctx.fs.list(abs) ?? []) add(`${abs === '/' ? '' : abs}/${child}`, `${name}/${child}`);
      return;
    }
    const content = utf8ToBytes(ctx.fs.read(abs) ?? '');
    out += header(name, content.length, '0', mtime) + content + '\0'.repeat((BLOCK - (content.length % BLOCK)) % BLOCK);
  };
  for (const p of paths) {
    const abs = MemoryFs.normalise(p.startsWith('/') ? p : `${base}/${p}`);
    if (!ctx.fs.exists(abs)) {
      io.err(`tar: ${p}: No such file or directory\n`);
      code = 1;
      continue;
    }
    if (p.startsWith('/') && !warned) {
      io.err("tar: removing leading '/' from member names\n");
      warned = true;
    }
    add(abs, p.replace(/^\/+/, '').replace(/\/+$/, '') || '.');
  }
  io.out(out + '\0'.repeat(2 * BLOCK));
  return code;
}

function* extract(archive: string, base: string, io: CommandIO, ctx: ShContext): Generator<ShYield, number, void> {
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= archive.length) {
    const h = archive.slice(at, at + BLOCK);
    if (/^\0*$/.test(h)) break;
    const text = (from: number, width: number) => h.slice(from, from + width).replace(/\0.*$/s, '');
    const prefix = text(345, 155);
    const name = longName ?? bytesToUtf8((prefix !== '' ? `${prefix}/` : '') + text(0, 100));
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = h[156] ?? '0';
    at += BLOCK;
    const content = archive.slice(at, at + size);
    at += Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      // A PAX extended header (Go's archive/tar writes one for long names): its `path` names the next entry.
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(bytesToUtf8(content))?.[1];
      continue;
    }
    longName = undefined;
    const target = MemoryFs.normalise(`${base}/${name}`);
    if (type === '5') ctx.fs.mkdir(target, true);
    else if (type === '0' || type === '\0') {
      ctx.fs.mkdir(target.slice(0, target.lastIndexOf('/')) || '/', true);
      if (!ctx.fs.write(target, bytesToUtf8(content))) {
        io.err(`tar: can't open '${name}': No such file or directory\n`);
        return 1;
      }
    }
    // Other entries (PAX headers, links) are skipped, as their data blocks are.
  }
  return 0;
}
