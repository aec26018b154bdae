import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryFs } from './fs.js';

describe('MemoryFs accounting', () => {
  it('property: usedBytes and inodesUsed always equal what the files hold, through writes, appends and removals', () => {
    const name = fc.constantFrom('/a', '/b', '/d/x', '/d/y', '/d/e/z');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), path: name, data: fc.string({ maxLength: 20 }), append: fc.boolean() }),
      fc.record({ kind: fc.constant('remove' as const), path: fc.constantFrom('/a', '/d', '/d/x', '/d/e'), recursive: fc.boolean() }),
      fc.record({ kind: fc.constant('mkdir' as const), path: fc.constantFrom('/d', '/d/e') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const fs = new MemoryFs(true);
        const model = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'mkdir') fs.mkdir(o.path, true);
          else if (o.kind === 'write') fs.write(o.path, o.data, o.append);
          else fs.remove(o.path, o.recursive);
        }
        for (const p of ['/a', '/b', '/d/x', '/d/y', '/d/e/z']) {
          const c = fs.read(p);
          if (c !== undefined) model.set(p, c);
        }
        expect(fs.usedBytes()).toBe([...model.values()].reduce((n, c) => n + Buffer.byteLength(c), 0));
        expect(fs.inodesUsed()).toBe(model.size);
      }),
    );
  });
});
