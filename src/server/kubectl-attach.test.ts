import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

/** util-linux `script` gives kubectl a terminal (a pty), as a person typing has. */
const hasScript = await new Promise<boolean>((done) => execFile('script', ['--version'], (e) => done(e === null)));

let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);

/** kubectl with stdin piped in. */
function kubectlWithInput(input: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn('kubectl', ['--kubeconfig', served.config, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(input);
  });
}

/** kubectl in a terminal: type each line once the screen shows what comes before it. */
function kubectlInTerminal(steps: Array<{ waitFor: RegExp; type: string }>, ...args: string[]): Promise<{ code: number; screen: string }> {
  return new Promise((done, fail) => {
    const command = ['kubectl', '--kubeconfig', served.config, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const p = spawn('script', ['-qec', command, '/dev/null']);
    let screen = '';
    let step = 0;
    const timer = setTimeout(() => (p.kill(), fail(new Error(`no ${steps[step]?.waitFor} on the screen:\n${screen}`))), 30_000);
    p.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      while (step < steps.length && steps[step]!.waitFor.test(screen)) p.stdin.write(steps[step++]!.type);
    });
    p.on('close', (code) => (clearTimeout(timer), done({ code: code ?? -1, screen })));
  });
}

describe.skipIf(!hasKubectl)('kubectl 1.32 attaching to interactive containers (stdin: true)', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-attach', { nodes: 1 });
  });
  afterAll(async () => served?.close());

  it('run -i --rm: the piped script runs in the container, which exits with its code; the pod is deleted', async () => {
    const r = await kubectlWithInput('echo hello from $HOSTNAME\nexit 5\n', 'run', 'once', '-i', '--rm', '--restart=Never', '--image=busybox:1.36', '--', 'sh');
    expect(r.stdout).toBe('hello from once\npod "once" deleted\n');
    expect(r.stderr).toContain('pod default/once terminated (Error)');
    expect(r.code).toBe(5);
    expect((await kubectl('get', 'pods', '-o', 'name')).stdout).toBe('');
  });

  it.skipIf(!hasScript)('debug -it: a shell in an ephemeral container, a line at a time in a terminal; `exit 2` ends it with that code', async () => {
    await kubectl('run', 'web', '--image=nginx:1.27');
    await kubectl('wait', '--for=condition=Ready', 'pod/web', '--timeout=20s');
    const session = await kubectlInTerminal(
      [
        { waitFor: /\/ # $/, type: 'echo in $HOSTNAME\r' },
        { waitFor: /in web\r\n\/ # $/, type: 'exit 2\r' },
      ],
      'debug', '-it', 'web', '--image=busybox:1.36', '--profile=general', '-c', 'shell', '--', 'sh',
    );
    expect(session.screen).toContain('/ # echo in $HOSTNAME\r\nin web\r\n/ # exit 2');
    await kubectl('wait', '--for=jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.exitCode}=2', 'pod/web', '--timeout=20s');
  });
});
