/** The remote-command protocol's channels and frames (k8s.io/apimachinery/pkg/util/remotecommand, v4/v5.channel.k8s.io). */
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;

/** One WebSocket message: the channel byte, then the data. */
export function frame(channel: number, data: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(data)]);
}

/**
 * The status on the error channel when the command ends (upstream
 * remotecommand v4 writeStatus; StatusCause.Type is JSON "reason"): client-go turns NonZeroExitCode with an
 * ExitCode cause into "command terminated with exit code N" and kubectl exits N.
 */
export function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
