import { MemoryFs } from '../../workloads/sh/fs.js';

/**
 * The data behind PersistentVolumes. One store serves every kubelet of a
 * cluster, as network storage does: a claim's files follow its pod to any
 * node, and outlive the pod, a container restart and a node crash.
 */
export class PersistentStorage {
  private readonly volumes = new Map<string, MemoryFs>();

  /** The files of a PersistentVolume (empty the first time it is mounted). */
  volume(name: string): MemoryFs {
    let fs = this.volumes.get(name);
    if (fs === undefined) {
      fs = new MemoryFs(true);
      this.volumes.set(name, fs);
    }
    return fs;
  }
}
