import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShContext } from './context.js';
import { MemoryFs } from './fs.js';
import { tar } from './tar.js';

const hasTar = await new Promise<boolean>((done) => execFile('tar', ['--version'], (e) => done(e === null)));

function run(fs: MemoryFs, args: string[], stdin = '') {
  let out = '';
  let err = '';
  const ctx: ShContext = { fs, env: new Map(), stdout: () => {}, stderr: () => {}, now: () => Date.UTC(2026, 0, 1), hostname: 'box', traps: new Map() };
  const gen = tar(args, { out: (t) => (out += t), err: (t) => (err += t), stdin }, ctx);
  let r = gen.next();
  while (!r.done) r = gen.next();
  return { code: r.value, out, err };
}

describe('busybox tar, as kubectl cp drives it', () => {
  it('cf - then xf -C: files and directories round-trip between two containers, UTF-8 content intact', () => {
    const a = new MemoryFs();
    a.mkdir('/data/sub', true);
    a.write('/data/one.txt', 'héllo\n');
    a.write('/data/sub/two.txt', 'x'.repeat(1000));
    const archive = run(a, ['cf', '-', '/data']);
    expect([archive.code, archive.err]).toEqual([0, "tar: removing leading '/' from member names\n"]);
    expect(archive.out.length % 512).toBe(0);
    const b = new MemoryFs();
    expect(run(b, ['-xmf', '-', '-C', '/restore'], archive.out).code).toBe(0);
    expect(b.read('/restore/data/one.txt')).toBe('héllo\n');
    expect(b.read('/restore/data/sub/two.txt')).toBe('x'.repeat(1000));
  });

  it('refuses what it cannot do, with busybox\'s words', () => {
    const fs = new MemoryFs();
    expect(run(fs, ['czf', '-', '/tmp']).err).toBe('tar: compression (-z) is not supported here\n');
    expect(run(fs, ['cf', '-', '/nope'])).toMatchObject({ code: 1, err: 'tar: /nope: No such file or directory\n' });
    expect(run(fs, ['-t'])).toMatchObject({ code: 1, err: "tar: invalid option -- 't'\n" });
  });

  it.skipIf(!hasTar)('its archives are read by GNU tar, and it reads GNU tar\'s (including a PAX long name)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-tar-'));
    const fs = new MemoryFs();
    fs.mkdir('/d', true);
    fs.write('/d/f.txt', 'from crucible\n');
    writeFileSync(join(dir, 'ours.tar'), Buffer.from(run(fs, ['cf', '-', '/d']).out, 'latin1'));
    execFileSync('tar', ['xf', join(dir, 'ours.tar'), '-C', dir]);
    expect(readFileSync(join(dir, 'd', 'f.txt'), 'utf8')).toBe('from crucible\n');
    const long = 'n'.repeat(120);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', `${long}.txt`), 'long name\n');
    const theirs = execFileSync('tar', ['--format=pax', '-cf', '-', '-C', join(dir, 'src'), `${long}.txt`]).toString('latin1');
    const into = new MemoryFs();
    expect(run(into, ['xf', '-', '-C', '/in'], theirs).code).toBe(0);
    expect(into.read(`/in/${long}.txt`)).toBe('long name\n');
  });
});
