import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../catalog.js';
import { StartError } from '../process.js';
import { execNow, start } from './testing.js';
import { NGINX_WELCOME } from './builtins.js';

describe('busybox: the sh subset as the main process', () => {
  it('runs the exec-liveness example unchanged (kubernetes.io "Define a liveness command")', () => {
    const s = start('registry.k8s.io/busybox:1.27.2', [], ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600']);
    s.sim.advance(29_000);
    expect(execNow(s, ['cat', '/tmp/healthy']).exitCode).toBe(0);
    s.sim.advance(2_000);
    expect(execNow(s, ['cat', '/tmp/healthy'])).toEqual({ exitCode: 1, output: 'cat: can\'t open \'/tmp/healthy\': No such file or directory\n', tookMs: 0 });
    s.sim.advance(600_000);
    expect(s.exit).toEqual({ code: 0, atMs: 630_000 });
  });

  it('the default command `sh` has no input and exits 0 at once', () => {
    const s = start('busybox');
    s.sim.runUntilIdle();
    expect(s.exit.code).toBe(0);
  });

  it('a command the image lacks cannot start (runc: executable file not found)', () => {
    expect(() => start('busybox', ['bash', '-c', 'echo hi'])).toThrow(StartError);
    expect(() => start('busybox', ['bash'])).toThrow(
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    );
  });

  it('as PID 1 it ignores SIGTERM unless it traps it; SIGKILL ends it with 137', () => {
    const plain = start('busybox', ['sleep', '3600']);
    plain.process.signal('SIGTERM');
    plain.sim.advance(30_000);
    expect(plain.exit.code).toBeUndefined();
    plain.process.signal('SIGKILL');
    expect(plain.exit).toEqual({ code: 137, atMs: 30_000 });

    const trapped = start('busybox', ['sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 1; done']);
    trapped.sim.advance(5_500);
    trapped.process.signal('SIGTERM');
    trapped.sim.advance(10);
    expect(trapped.exit).toEqual({ code: 0, atMs: 5_500 });
    expect(trapped.stdout.join('')).toBe('bye\n');
  });

  it('writes its output as it happens, on the host clock', () => {
    const s = start('busybox', ['sh', '-c', 'for i in 1 2 3; do echo "tick $i"; sleep 2; done; exit 3']);
    s.sim.advance(3_000);
    expect(s.stdout.join('')).toBe('tick 1\ntick 2\n');
    s.sim.runUntilIdle();
    expect(s.exit).toEqual({ code: 3, atMs: 6_000 });
  });
});

describe('web servers', () => {
  it('nginx serves its welcome page on port 80 (615 bytes) and 404s elsewhere', () => {
    const s = start('nginx:1.27');
    expect(s.process.http(80, '/')).toBeUndefined();
    s.sim.advance(100);
    expect(NGINX_WELCOME.length).toBe(615);
    expect(s.process.http(80, '/')).toMatchObject({ status: 200, body: NGINX_WELCOME });
    expect(s.process.http(80, '/nope')?.status).toBe(404);
    expect(s.process.http(8080, '/')).toBeUndefined();
    expect(s.process.listening(80)).toBe(true);
    expect(s.stdout.at(-1)).toBe('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    s.process.signal('SIGTERM');
    s.sim.runUntilIdle();
    expect(s.exit.code).toBe(0);
  });

  it('the documented HTTP liveness server: /healthz 200 for the first 10 s, then 500 (agnhost liveness)', () => {
    const s = start('registry.k8s.io/e2e-test-images/agnhost:2.40', [], ['liveness']);
    s.sim.advance(9_000);
    expect(s.process.http(8080, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    s.sim.advance(2_000);
    expect(s.process.http(8080, '/healthz')).toMatchObject({ status: 500, body: 'error: 11' });
    expect(execNow(s, ['cat', '/tmp/x']).exitCode).toBe(126);
  });

  it('agnhost netexec, serve-hostname and pause', () => {
    const net = start('registry.k8s.io/e2e-test-images/agnhost:2.40', [], ['netexec', '--http-port=8081']);
    net.sim.advance(20);
    expect(net.process.http(8081, '/hostname')?.body).toBe('pod-1');
    expect(net.process.http(8081, '/echo?msg=hi&code=201')).toMatchObject({ status: 201, body: 'hi' });
    const sh = start('registry.k8s.io/e2e-test-images/agnhost:2.40', [], ['serve-hostname']);
    sh.sim.advance(20);
    expect(sh.process.http(9376, '/anything')?.body).toBe('pod-1');
    const bad = start('registry.k8s.io/e2e-test-images/agnhost:2.40', [], ['nosuch']);
    bad.sim.runUntilIdle();
    expect(bad.exit.code).toBe(1);
    expect(bad.stderr).toEqual(['Error: unknown command "nosuch" for "agnhost"\n']);
  });
});

describe('stress and table images', () => {
  it('polinux/stress holds --vm × --vm-bytes of memory', () => {
    const s = start('polinux/stress', ['stress'], ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1']);
    expect(s.process.memoryBytes()).toBe(151 * 1024 * 1024);
    expect(s.stdout).toEqual(['stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n']);
  });

  it('vish/stress grows by -mem-alloc-size every -mem-alloc-sleep up to -mem-total', () => {
    const s = start('vish/stress', [], ['-mem-total', '150Mi', '-mem-alloc-size', '10Mi', '-mem-alloc-sleep', '1s']);
    expect(s.process.memoryBytes()).toBe(10 * 1024 * 1024);
    s.sim.advance(5_000);
    expect(s.process.memoryBytes()).toBe(60 * 1024 * 1024);
    s.sim.advance(60_000);
    expect(s.process.memoryBytes()).toBe(150 * 1024 * 1024);
  });

  it('a table image follows its behaviour: start-up, readiness, answers, memory growth, crash', () => {
    const catalog = new ImageCatalog({
      'shop/web': {
        startupSeconds: 2,
        readySeconds: 5,
        ports: [8080],
        http: { '/ready': { status: 200, readiness: true }, '/healthz': { status: 500, fromSeconds: 20 } },
        memory: { steadyMi: 50, growthMiPerSecond: 1 },
        crash: { afterSeconds: 30, exitCode: 2 },
        logs: { lines: ['listening on :8080'] },
      },
    });
    const s = start('shop/web:1', [], [], catalog);
    s.sim.advance(1_000);
    expect(s.process.listening(8080)).toBe(false);
    s.sim.advance(2_000);
    expect(s.process.http(8080, '/ready')?.status).toBe(503);
    s.sim.advance(3_000);
    expect(s.process.http(8080, '/ready')?.status).toBe(200);
    expect(s.process.http(8080, '/healthz')?.status).toBe(200);
    expect(s.process.memoryBytes()).toBe(56 * 1024 * 1024);
    s.sim.advance(15_000);
    expect(s.process.http(8080, '/healthz')?.status).toBe(500);
    s.sim.runUntilIdle();
    expect(s.exit).toEqual({ code: 2, atMs: 30_000 });
    expect(s.stdout).toEqual(['listening on :8080\n']);
  });
});
