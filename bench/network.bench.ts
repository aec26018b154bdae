// Messages per second through a 100-host network with loss and latency.
import { Trace } from '../src/sim/index.js';
import { World } from '../src/faults/index.js';
import { bestOf, figure } from './report.js';

export const name = 'network';

/**
 * 100 hosts; links with 1 ms latency, up to 4 ms uniform jitter and 1 % loss.
 * 10,000 messages are kept in flight: each delivery sends a new message to
 * a random host, and each loss is replaced by the sender's retry timer.
 */
function flood(messages: number, traceMessages: boolean): World {
  const world = new World({
    seed: 'bench',
    trace: new Trace(),
    network: { defaults: { latencyMs: 1, jitterMs: 4, loss: 0.01 }, traceMessages },
  });
  const names = Array.from({ length: 100 }, (_, i) => `host-${i}`);
  for (const n of names) world.addHost(n);
  const { stats } = world.network;
  const send = (from: number): void => {
    if (stats.sent < messages) world.network.send(from, names[(from * 31 + stats.sent) % 100]!, 'p', stats.sent, 256);
  };
  for (const n of names) {
    const host = world.host(n);
    host.net.bind('p', () => send(host.index));
  }
  // Keep 10,000 messages in flight: deliveries send the next one, a 10 ms top-up replaces the lost.
  const topUp = (): void => {
    for (let i = stats.sent - stats.delivered - stats.dropped; i < 10_000; i++) send(i % 100);
    if (stats.sent < messages) world.sim.schedule(10, topUp);
  };
  topUp();
  world.sim.runUntilIdle();
  if (stats.delivered + stats.dropped !== messages) throw new Error(`lost track of messages: ${JSON.stringify(stats)}`);
  return world;
}

export function run(): void {
  const messages = 2_000_000;
  flood(200_000, false); // warm up
  const quiet = bestOf(3, () => void flood(messages, false));
  figure('network.messages_per_sec', Math.round((messages / quiet) * 1000), 'msg/s');
  const traced = bestOf(2, () => void flood(messages, true));
  figure('network.messages_per_sec_traced', Math.round((messages / traced) * 1000), 'msg/s');
  const { stats } = flood(200_000, false).network;
  figure('network.loss_observed', (stats.dropped / stats.sent) * 100, '%');
}
