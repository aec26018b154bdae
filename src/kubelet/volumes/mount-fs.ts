import { MemoryFs } from '../../workloads/sh/fs.js';

export interface Mount {
  /** Where the volume appears in the container. */
  path: string;
  volume: MemoryFs;
  readOnly: boolean;
}

/**
 * A container's filesystem with volumes mounted on it: each path resolves to
 * the volume mounted deepest above it, or to the container's own layer.
 * Volumes are shared objects, so an emptyDir written by one container is read
 * by the next; read-only mounts refuse writes and removals.
 */
export class MountFs extends MemoryFs {
  private readonly mounts: Mount[];

  constructor(mounts: Mount[]) {
    super();
    this.mounts = mounts.map((m) => ({ ...m, path: MemoryFs.normalise(m.path) })).sort((a, b) => b.path.length - a.path.length);
    for (const m of this.mounts) super.mkdir(m.path, true);
  }

  private resolve(path: string): { mount?: Mount; inner: string } {
    const p = MemoryFs.normalise(path);
    for (const m of this.mounts) {
      if (p === m.path) return { mount: m, inner: '/' };
      if (p.startsWith(`${m.path}/`)) return { mount: m, inner: p.slice(m.path.length) };
    }
    return { inner: p };
  }

  override exists(path: string): boolean {
    const r = this.resolve(path);
    return r.mount ? r.mount.volume.exists(r.inner) : super.exists(r.inner);
  }

  override isDir(path: string): boolean {
    const r = this.resolve(path);
    return r.mount ? r.mount.volume.isDir(r.inner) : super.isDir(r.inner);
  }

  override isFile(path: string): boolean {
    const r = this.resolve(path);
    return r.mount ? r.mount.volume.isFile(r.inner) : super.isFile(r.inner);
  }

  override read(path: string): string | undefined {
    const r = this.resolve(path);
    return r.mount ? r.mount.volume.read(r.inner) : super.read(r.inner);
  }

  override write(path: string, data: string, append = false): boolean {
    const r = this.resolve(path);
    if (r.mount?.readOnly) return false;
    return r.mount ? r.mount.volume.write(r.inner, data, append) : super.write(r.inner, data, append);
  }

  override remove(path: string, recursive = false): 'ok' | 'missing' | 'is-dir' {
    const r = this.resolve(path);
    if (r.mount !== undefined && (r.mount.readOnly || r.inner === '/')) return r.mount.volume.exists(r.inner) ? 'is-dir' : 'missing';
    return r.mount ? r.mount.volume.remove(r.inner, recursive) : super.remove(r.inner, recursive);
  }

  override mkdir(path: string, parents = false): 'ok' | 'exists' | 'missing-parent' {
    const r = this.resolve(path);
    if (r.mount?.readOnly) return 'missing-parent';
    return r.mount ? r.mount.volume.mkdir(r.inner, parents) : super.mkdir(r.inner, parents);
  }

  override list(path: string): string[] | undefined {
    const r = this.resolve(path);
    return r.mount ? r.mount.volume.list(r.inner) : super.list(r.inner);
  }
}
