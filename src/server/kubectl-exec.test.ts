import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);

describe.skipIf(!hasKubectl)('kubectl exec over WebSocket (v5.channel.k8s.io) against crucible serve', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-exec');
    const file = join(served.dir, 'box.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: { name: box }',
        'spec:',
        '  containers:',
        '  - name: main',
        '    image: busybox:1.36',
        '    env: [{ name: GREETING, value: hello }]',
        '    command: [sh, -c, "echo ready > /tmp/x; sleep 3600"]',
        '  - name: side',
        '    image: busybox:1.36',
        '    command: [sh, -c, "echo side > /tmp/y; sleep 3600"]',
      ].join('\n'),
    );
    expect((await kubectl('apply', '-f', file)).code).toBe(0);
    expect((await kubectl('wait', '--for=condition=Ready', 'pod/box', '--timeout=60s')).code).toBe(0);
  });
  afterAll(async () => served?.close());

  it('runs the command in the container and prints its output (-c picks the container)', async () => {
    expect(await kubectl('exec', 'box', '-c', 'main', '--', 'cat', '/tmp/x')).toMatchObject({ code: 0, stdout: 'ready\n' });
    expect(await kubectl('exec', 'box', '-c', 'main', '--', 'printenv', 'GREETING')).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(await kubectl('exec', 'box', '-c', 'side', '--', 'ls', '/tmp')).toMatchObject({ code: 0, stdout: 'y\n' });
  });

  it('without -c, kubectl defaults to the first container and says so', async () => {
    const r = await kubectl('exec', 'box', '--', 'cat', '/tmp/x');
    expect(r).toMatchObject({ code: 0, stdout: 'ready\n' });
    expect(r.stderr).toBe('Defaulted container "main" out of: main, side\n');
  });

  it("a non-zero exit is kubectl's exit code, with client-go's message", async () => {
    expect(await kubectl('exec', 'box', '-c', 'main', '--', 'sh', '-c', 'echo partial; exit 3')).toEqual({ code: 3, stdout: 'partial\n', stderr: 'command terminated with exit code 3\n' });
  });

  it('exec -i: a script on stdin runs in the container shell, and its exit code is kubectl\'s', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = execFile('kubectl', ['--kubeconfig', served.config, 'exec', '-i', 'box', '-c', 'main', '--', 'sh'], (e, stdout, stderr) => done({ code: e === null ? 0 : ((e as { code?: number }).code ?? 1), stdout, stderr }));
      child.stdin!.end('cat /tmp/x\necho "$GREETING"\nexit 4\n');
    });
    expect(r).toEqual({ code: 4, stdout: 'ready\nhello\n', stderr: 'command terminated with exit code 4\n' });
  });

  it('attach streams what the container writes from then on, and ends when it exits', async () => {
    expect((await kubectl('run', 'ticker', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'sleep 1; for i in 1 2 3; do echo tick $i; sleep 1; done')).code).toBe(0);
    expect((await kubectl('wait', '--for=condition=Ready', 'pod/ticker', '--timeout=30s')).code).toBe(0);
    const r = await kubectl('attach', 'ticker');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/(tick 1\n)?tick 2\ntick 3\n$/);
    expect(r.stderr).toContain("If you don't see a command prompt, try pressing enter.");
  });

  it('cp: a file and a directory into the container and back (tar through exec, UTF-8 content intact); nothing comes of a missing file', async () => {
    const local = join(served.dir, 'cp');
    mkdirSync(join(local, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(local, 'note.txt'), 'héllo\nworld\n');
    writeFileSync(join(local, 'tree', 'a.txt'), 'a\n');
    writeFileSync(join(local, 'tree', 'sub', 'b.txt'), 'b\n');
    expect(await kubectl('cp', join(local, 'note.txt'), 'box:/tmp/note.txt', '-c', 'main')).toMatchObject({ code: 0, stderr: '' });
    expect((await kubectl('exec', 'box', '-c', 'main', '--', 'cat', '/tmp/note.txt')).stdout).toBe('héllo\nworld\n');
    expect((await kubectl('cp', join(local, 'tree'), 'box:/tmp/tree', '-c', 'main')).code).toBe(0);
    expect((await kubectl('exec', 'box', '-c', 'main', '--', 'cat', '/tmp/tree/sub/b.txt')).stdout).toBe('b\n');
    const back = await kubectl('cp', 'box:/tmp/tree', join(local, 'back'), '-c', 'main');
    expect(back.code).toBe(0);
    expect(readFileSync(join(local, 'back', 'sub', 'b.txt'), 'utf8')).toBe('b\n');
    await kubectl('cp', 'box:/tmp/note.txt', join(local, 'note-back.txt'), '-c', 'main');
    expect(readFileSync(join(local, 'note-back.txt'), 'utf8')).toBe('héllo\nworld\n');
    // tar reports the missing file on stderr (kubectl prints it unless the archive's end beats it) and nothing is written.
    await kubectl('cp', 'box:/tmp/nope', join(local, 'x'), '-c', 'main');
    expect(existsSync(join(local, 'x'))).toBe(false);
  });

  it('refusals as kubectl prints them: no such pod, no such container', async () => {
    expect(await kubectl('exec', 'nope', '--', 'ls')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    const r = await kubectl('exec', 'box', '-c', 'ghost', '--', 'ls');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('container ghost is not valid for pod box');
  });
});
