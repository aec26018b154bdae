import { FaultInputError } from './errors.js';

const HOST_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

type Listener = () => void;

/**
 * The named hosts of a world (control-plane members, nodes, an external
 * client) and named groups of them (`control-plane`, `nodes`). Tracks
 * whether each host is up and an epoch that changes on every crash and
 * restart, so work a host started before it crashed never completes after.
 */
export class Hosts {
  private readonly byName = new Map<string, number>();
  private readonly groupMembers = new Map<string, string[]>();
  private readonly names: string[] = [];
  private readonly up: boolean[] = [];
  private readonly epochs: number[] = [];
  private readonly crashListeners: Listener[][] = [];
  private readonly restartListeners: Listener[][] = [];

  /** Register a host; names are lower-case DNS-like labels and unique across hosts and groups. */
  add(name: string, groups: readonly string[] = []): number {
    if (typeof name !== 'string' || !HOST_NAME.test(name)) {
      throw new FaultInputError({ path: 'host', message: `must be lower-case letters, digits, "-" or ".", got ${JSON.stringify(name)}` });
    }
    if (this.byName.has(name)) throw new FaultInputError({ path: 'host', message: `host "${name}" already exists` });
    if (this.groupMembers.has(name)) throw new FaultInputError({ path: 'host', message: `"${name}" is already a group name` });
    const index = this.names.length;
    this.byName.set(name, index);
    this.names.push(name);
    this.up.push(true);
    this.epochs.push(0);
    this.crashListeners.push([]);
    this.restartListeners.push([]);
    for (const group of groups) this.addToGroup(group, name);
    return index;
  }

  /** Put a host into a named group (created on first use). */
  addToGroup(group: string, host: string): void {
    if (!HOST_NAME.test(group)) {
      throw new FaultInputError({ path: 'group', message: `must be lower-case letters, digits, "-" or ".", got ${JSON.stringify(group)}` });
    }
    if (this.byName.has(group)) throw new FaultInputError({ path: 'group', message: `"${group}" is already a host name` });
    this.index(host);
    const members = this.groupMembers.get(group) ?? [];
    if (!members.includes(host)) members.push(host);
    this.groupMembers.set(group, members);
  }

  get count(): number {
    return this.names.length;
  }

  /** Every host name, in the order added. */
  all(): readonly string[] {
    return this.names;
  }

  /** Every group name, sorted. */
  groups(): string[] {
    return [...this.groupMembers.keys()].sort();
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Index of a host; unknown names are an input error naming `path`. */
  index(name: string, path = 'host'): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new FaultInputError({ path, message: `unknown host ${JSON.stringify(name)}${this.hint()}` });
    return i;
  }

  name(index: number): string {
    return this.names[index]!;
  }

  /**
   * Resolve host and group names to host names (deduplicated, in order).
   * `undefined` means every host.
   */
  resolve(targets: string | readonly string[] | undefined, path: string): string[] {
    if (targets === undefined) return [...this.names];
    const list = typeof targets === 'string' ? [targets] : targets;
    if (!Array.isArray(list)) throw new FaultInputError({ path, message: `must be a host or group name or a list of them, got ${JSON.stringify(targets)}` });
    const out: string[] = [];
    list.forEach((t, i) => {
      const itemPath = typeof targets === 'string' ? path : `${path}[${i}]`;
      const members = this.groupMembers.get(t);
      if (members !== undefined) {
        for (const m of members) if (!out.includes(m)) out.push(m);
      } else if (this.byName.has(t)) {
        if (!out.includes(t)) out.push(t);
      } else {
        throw new FaultInputError({ path: itemPath, message: `unknown host or group ${JSON.stringify(t)}${this.hint()}` });
      }
    });
    return out;
  }

  isUp(index: number): boolean {
    return this.up[index]!;
  }

  /** Changes on every crash and restart of the host. */
  epoch(index: number): number {
    return this.epochs[index]!;
  }

  /** Mark the host down and tell its listeners (components lose their state). */
  crash(index: number): void {
    if (!this.up[index]) return;
    this.up[index] = false;
    this.epochs[index]!++;
    for (const fn of this.crashListeners[index]!.slice()) fn();
  }

  /** Bring a crashed host back. */
  restart(index: number): void {
    if (this.up[index]) return;
    this.up[index] = true;
    this.epochs[index]!++;
    for (const fn of this.restartListeners[index]!.slice()) fn();
  }

  onCrash(index: number, fn: Listener): void {
    this.crashListeners[index]!.push(fn);
  }

  onRestart(index: number, fn: Listener): void {
    this.restartListeners[index]!.push(fn);
  }

  private hint(): string {
    const known = this.names.length <= 8 ? this.names : [...this.names.slice(0, 8), '...'];
    return known.length > 0 ? ` (known hosts: ${known.join(', ')})` : ' (no hosts defined)';
  }
}
