import type { LifecycleHandler } from 'kubernetes-types/core/v1.js';
import type { ContainerProcess } from '../../workloads/process.js';
import type { RuntimeHost } from './container.js';

/**
 * Run a lifecycle hook (upstream pkg/kubelet/lifecycle/handlers.go): exec
 * inside the container, an HTTP GET to it (2xx and 3xx succeed), or a sleep.
 * `done` gets whether it succeeded and the handler's message. The returned
 * handle abandons a hook still running (the grace period ran out).
 */
export function runHook(handler: LifecycleHandler, process: ContainerProcess, host: Pick<RuntimeHost, 'after'>, done: (ok: boolean, message: string) => void): { cancel(): void } {
  let cancelled = false;
  let timer: { cancel(): void } | undefined;
  const finish = (ok: boolean, message: string) => {
    if (!cancelled) done(ok, message);
  };
  if (handler.exec !== undefined) {
    const command = handler.exec.command ?? [];
    const gen = process.exec(command);
    const step = (): void => {
      if (cancelled) return;
      const r = gen.next();
      if (!r.done) {
        timer = host.after(r.value.sleepMs, step);
        return;
      }
      const { exitCode, output } = r.value;
      finish(exitCode === 0, exitCode === 0 ? '' : `command '${command.join(' ')}' exited with ${exitCode}: ${output}`);
    };
    step();
  } else if (handler.httpGet !== undefined) {
    const port = typeof handler.httpGet.port === 'number' ? handler.httpGet.port : Number(handler.httpGet.port);
    const answer = process.http(port, handler.httpGet.path ?? '/');
    const ok = answer !== undefined && answer.status >= 200 && answer.status < 400;
    timer = host.after(answer?.latencyMs ?? 0, () => finish(ok, ok ? '' : answer === undefined ? 'connect: connection refused' : `HTTP lifecycle hook (${handler.httpGet!.path ?? '/'}) returned status ${answer.status}`));
  } else if (handler.sleep !== undefined) {
    timer = host.after(handler.sleep.seconds * 1000, () => finish(true, ''));
  } else finish(false, 'missing lifecycle handler');
  return {
    cancel: () => {
      cancelled = true;
      timer?.cancel();
    },
  };
}
