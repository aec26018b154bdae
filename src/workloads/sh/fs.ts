/**
 * A container's filesystem as the sh subset sees it: files with text
 * content and directories. Paths are absolute or relative to `/`.
 */
export class MemoryFs {
  private readonly files = new Map<string, string>();
  private readonly dirs: Set<string>;
  /** Bytes of file content, kept as files change (the kubelet reads it every housekeeping pass). */
  private bytes = 0;

  /** A root filesystem with the usual directories, or (`empty`) just `/`, as a volume starts. */
  constructor(empty = false) {
    this.dirs = new Set(empty ? ['/'] : ['/', '/tmp', '/etc', '/var', '/var/log', '/var/run', '/usr', '/usr/share', '/usr/local', '/bin', '/dev', '/proc', '/root', '/home', '/run', '/opt', '/srv']);
  }

  static normalise(path: string): string {
    const parts: string[] = [];
    for (const p of (path.startsWith('/') ? path : `/${path}`).split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    return `/${parts.join('/')}`;
  }

  private static parent(path: string): string {
    const i = path.lastIndexOf('/');
    return i <= 0 ? '/' : path.slice(0, i);
  }

  exists(path: string): boolean {
    const p = MemoryFs.normalise(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  isDir(path: string): boolean {
    return this.dirs.has(MemoryFs.normalise(path));
  }

  isFile(path: string): boolean {
    return this.files.has(MemoryFs.normalise(path));
  }

  read(path: string): string | undefined {
    return this.files.get(MemoryFs.normalise(path));
  }

  /** Write or append; fails (false) when the directory does not exist. */
  write(path: string, data: string, append = false): boolean {
    const p = MemoryFs.normalise(path);
    if (!this.dirs.has(MemoryFs.parent(p)) || this.dirs.has(p)) return false;
    const old = this.files.get(p);
    if (append && old !== undefined) {
      this.files.set(p, old + data);
      this.bytes += Buffer.byteLength(data);
    } else {
      this.files.set(p, data);
      this.bytes += Buffer.byteLength(data) - (old === undefined ? 0 : Buffer.byteLength(old));
    }
    return true;
  }

  remove(path: string, recursive = false): 'ok' | 'missing' | 'is-dir' {
    const p = MemoryFs.normalise(path);
    const content = this.files.get(p);
    if (content !== undefined) {
      this.files.delete(p);
      this.bytes -= Buffer.byteLength(content);
      return 'ok';
    }
    if (!this.dirs.has(p)) return 'missing';
    if (!recursive) return 'is-dir';
    for (const [f, content] of [...this.files]) {
      if (!f.startsWith(`${p}/`)) continue;
      this.files.delete(f);
      this.bytes -= Buffer.byteLength(content);
    }
    for (const d of [...this.dirs]) if (d === p || d.startsWith(`${p}/`)) this.dirs.delete(d);
    return 'ok';
  }

  mkdir(path: string, parents = false): 'ok' | 'exists' | 'missing-parent' {
    const p = MemoryFs.normalise(path);
    if (this.dirs.has(p) || this.files.has(p)) return parents && this.dirs.has(p) ? 'ok' : 'exists';
    if (!this.dirs.has(MemoryFs.parent(p))) {
      if (!parents) return 'missing-parent';
      this.mkdir(MemoryFs.parent(p), true);
    }
    this.dirs.add(p);
    return 'ok';
  }

  /** Inodes its files take (one each). */
  inodesUsed(): number {
    return this.files.size;
  }

  /** Bytes held by this filesystem's own files (a mount's volume counts for the volume, not here). */
  usedBytes(): number {
    return this.bytes;
  }

  /** Names in a directory, sorted; undefined when it is not a directory. */
  list(path: string): string[] | undefined {
    const p = MemoryFs.normalise(path);
    if (!this.dirs.has(p)) return undefined;
    const prefix = p === '/' ? '/' : `${p}/`;
    const names = new Set<string>();
    for (const entry of [...this.files.keys(), ...this.dirs]) {
      if (entry !== p && entry.startsWith(prefix)) names.add(entry.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }
}
