import type { ResolvedImage } from './catalog.js';
import { startBuiltin } from './models/builtins.js';
import { ServerProcess } from './models/server.js';
import { ShellProcess } from './models/shell.js';
import { tableModel } from './models/table.js';
import type { ContainerProcess, ProcessHost, ProcessSpec } from './process.js';

/**
 * Start a container's main process from its resolved image. Throws a
 * StartError when the executable does not exist (the runtime reports the
 * container `Terminated` with reason `StartError`, exit code 128).
 */
export function startProcess(image: ResolvedImage, spec: ProcessSpec, host: ProcessHost): ContainerProcess {
  const model = image.model;
  switch (model.kind) {
    case 'builtin':
      return startBuiltin(model.builtin, spec, host);
    case 'table':
      if (spec.command.length > 0) return new ShellProcess(spec, host);
      return new ServerProcess(spec, host, tableModel(model.behaviour));
    case 'permissive':
      // An image nobody described: it runs its command if it has one, else idles.
      if (spec.command.length > 0 || spec.args.length > 0) return new ShellProcess(spec, host);
      return new ServerProcess(spec, host, tableModel({}));
  }
}
