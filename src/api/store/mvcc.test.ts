import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../sim/index.js';
import { MVCCStore } from './mvcc.js';
import { StoreError } from './errors.js';
import type { StoredObject, WatchEvent } from './types.js';

const pod = (name: string, node = '', extra: Record<string, unknown> = {}): StoredObject => ({ metadata: { name, namespace: 'default' }, spec: { nodeName: node }, ...extra });
const rv = (o: StoredObject | undefined): string | undefined => o?.metadata?.resourceVersion;
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as StoreError).code;
  }
  return undefined;
};

describe('MVCCStore', () => {
  it('stamps each write with the next revision as resourceVersion', () => {
    const store = new MVCCStore();
    const a = store.create('pods', 'default/a', pod('a'));
    const b = store.create('pods', 'default/b', pod('b'));
    const a2 = store.update('pods', 'default/a', { ...a, status: { phase: 'Running' } });
    expect([rv(a), rv(b), rv(a2)]).toEqual(['1', '2', '3']);
    expect(store.revision).toBe(3);
    expect(store.get('pods', 'default/a')).toEqual(a2);
  });

  it('refuses duplicate creates, missing keys and stale compare-and-swap', () => {
    const store = new MVCCStore();
    store.create('pods', 'default/a', pod('a'));
    expect(code(() => store.create('pods', 'default/a', pod('a')))).toBe('KeyExists');
    expect(code(() => store.update('pods', 'default/x', pod('x')))).toBe('KeyNotFound');
    expect(code(() => store.update('pods', 'default/a', pod('a'), 7))).toBe('Conflict');
    expect(code(() => store.update('pods', 'default/a', pod('a'), 1))).toBeUndefined();
    expect(code(() => store.delete('pods', 'default/a', 1))).toBe('Conflict');
    store.delete('pods', 'default/a', 2);
    expect(store.get('pods', 'default/a')).toBeUndefined();
    expect(code(() => store.create('pods', 'default/a', pod('a')))).toBeUndefined(); // re-create after delete
  });

  it('reads and lists as of an older revision, and pages stay on one revision', () => {
    const store = new MVCCStore();
    for (const n of ['a', 'b', 'c', 'd']) store.create('pods', `default/${n}`, pod(n));
    const at = store.revision;
    store.update('pods', 'default/a', pod('a', 'node-9'));
    store.delete('pods', 'default/b');
    store.create('pods', 'default/bb', pod('bb'));
    expect((store.get('pods', 'default/a', at)?.spec as { nodeName: string }).nodeName).toBe('');
    const page1 = store.list('pods', { atRevision: at, limit: 2 });
    expect(page1.items.map((o) => o.metadata!.name)).toEqual(['a', 'b']);
    const page2 = store.list('pods', { atRevision: page1.revision, limit: 2, continueAfter: page1.continueAfter! });
    expect(page2.items.map((o) => o.metadata!.name)).toEqual(['c', 'd']);
    expect(page2.continueAfter).toBeUndefined();
    expect(store.list('pods').items.map((o) => o.metadata!.name)).toEqual(['a', 'bb', 'c', 'd']);
    expect(store.list('pods', { keyPrefix: 'default/b' }).items.map((o) => o.metadata!.name)).toEqual(['bb']);
  });

  it('compaction answers old reads and watches with Compacted (410) and keeps the values at the compaction point', () => {
    const store = new MVCCStore();
    store.create('pods', 'default/a', pod('a'));
    store.update('pods', 'default/a', pod('a', 'n1'));
    store.create('pods', 'default/b', pod('b'));
    store.delete('pods', 'default/b');
    store.compact(3);
    expect(() => store.watch('pods', { fromRevision: 2 }, () => {})).toThrow('too old resource version: 2 (3)');
    expect(code(() => store.get('pods', 'default/a', 1))).toBe('Compacted');
    expect((store.get('pods', 'default/a', 3)?.spec as { nodeName: string }).nodeName).toBe('n1');
    const seen: WatchEvent[] = [];
    store.watch('pods', { fromRevision: 3 }, (e) => seen.push(e));
    expect(seen.map((e) => [e.type, e.revision])).toEqual([['DELETED', 4]]);
  });

  it('applies a transaction whole or not at all, at consecutive revisions', () => {
    const store = new MVCCStore();
    store.create('pods', 'default/a', pod('a'));
    const events: string[] = [];
    store.watch('pods', { fromRevision: store.revision }, (e) => events.push(`${e.type}@${e.revision}`));
    expect(code(() => store.transact([
      { kind: 'update', resource: 'pods', key: 'default/a', object: pod('a', 'n1'), expectedRevision: 1 },
      { kind: 'create', resource: 'pods', key: 'default/a', object: pod('a') },
    ]))).toBe('KeyExists');
    expect(store.revision).toBe(1);
    expect(events).toEqual([]);
    store.transact([
      { kind: 'update', resource: 'pods', key: 'default/a', object: pod('a', 'n1'), expectedRevision: 1 },
      { kind: 'delete', resource: 'pods', key: 'default/a' },
    ]);
    expect(events).toEqual(['MODIFIED@2', 'DELETED@3']);
  });

  type Op = { kind: 'create' | 'update' | 'delete'; key: number; node: number } | { kind: 'watch'; from: number; node: number; indexed: boolean; filtered: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constantFrom<'create' | 'update' | 'delete'>('create', 'update', 'delete'), key: fc.nat(4), node: fc.nat(2) }),
    fc.record({ kind: fc.constant<'watch'>('watch'), from: fc.nat(), node: fc.nat(2), indexed: fc.boolean(), filtered: fc.boolean() }),
  );

  it('a watch delivers every change after its start revision, in order, exactly once — filtered and indexed alike', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80, size: 'large' }), (ops) => {
        const store = new MVCCStore();
        store.defineIndex('pods', 'spec.nodeName', (o) => (o.spec as { nodeName: string }).nodeName);
        const history: Array<{ type: string; revision: number; key: string; node: string; prevNode: string | undefined }> = [];
        const live = new Map<string, string>();
        const watches: Array<{ from: number; node: string | undefined; got: WatchEvent[] }> = [];
        for (const o of ops) {
          const key = `default/p${o.kind === 'watch' ? 0 : o.key}`;
          const node = `node-${o.node}`;
          const err = code(() => {
            if (o.kind === 'create') store.create('pods', key, pod(key, node));
            if (o.kind === 'update') store.update('pods', key, pod(key, node));
            if (o.kind === 'delete') store.delete('pods', key);
          });
          if (o.kind !== 'watch' && err === undefined) {
            const prevNode = live.get(key);
            history.push({ type: o.kind === 'create' ? 'ADDED' : o.kind === 'update' ? 'MODIFIED' : 'DELETED', revision: store.revision, key, node: o.kind === 'delete' ? prevNode! : node, prevNode });
            if (o.kind === 'delete') live.delete(key);
            else live.set(key, node);
          }
          if (o.kind === 'watch') {
            const from = store.revision === 0 ? 0 : o.from % (store.revision + 1);
            const w = { from, node: o.indexed || o.filtered ? node : undefined, got: [] as WatchEvent[] };
            watches.push(w);
            store.watch(
              'pods',
              {
                fromRevision: from,
                ...(o.indexed && { index: { name: 'spec.nodeName', value: node } }),
                ...(o.filtered && { filter: (obj: StoredObject) => (obj.spec as { nodeName: string }).nodeName === node }),
              },
              (e) => w.got.push(e),
            );
          }
        }
        for (const w of watches) {
          // Reference: what a watcher of this node should see (an object moving away is DELETED for it, moving in is ADDED).
          const expected = history
            .filter((h) => h.revision > w.from)
            .flatMap((h) => {
              if (w.node === undefined) return [[h.type, h.revision, h.key]];
              const now = h.type !== 'DELETED' && h.node === w.node;
              const before = h.prevNode === w.node;
              if (h.type === 'DELETED') return before ? [['DELETED', h.revision, h.key]] : [];
              if (now) return [[before || h.type === 'ADDED' ? h.type : 'ADDED', h.revision, h.key]];
              return before ? [['DELETED', h.revision, h.key]] : [];
            });
          expect(w.got.map((e) => [e.type, e.revision, `default/${e.object.metadata!.name!.split('/')[1]}`])).toEqual(expected);
        }
      }),
    );
  });

  it('an indexed watch is never consulted for changes on other index values', () => {
    const store = new MVCCStore();
    let calls = 0;
    store.defineIndex('pods', 'spec.nodeName', (o) => (o.spec as { nodeName: string }).nodeName);
    for (let n = 0; n < 1000; n++) {
      store.watch('pods', { fromRevision: 0, index: { name: 'spec.nodeName', value: `node-${n}` }, filter: () => (calls++, true) }, () => {});
    }
    store.create('pods', 'default/a', pod('a', 'node-7'));
    expect(calls).toBe(1);
    expect(store.watcherCount('pods')).toBe(1000);
  });

  it('no update is lost when clients race read-modify-write with compare-and-swap', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 8 }), (seed, clients, increments) => {
        const sim = new Simulation({ seed });
        const store = new MVCCStore();
        store.create('configmaps', 'default/counter', { metadata: { name: 'counter' }, data: { n: '0' } });
        let conflicts = 0;
        for (let c = 0; c < clients; c++) {
          const rng = sim.random.stream(`client-${c}`);
          let done = 0;
          const attempt = (): void => {
            const read = store.get('configmaps', 'default/counter')!;
            const readRevision = Number(read.metadata!.resourceVersion);
            // Think for a while, as a controller would, then write back.
            sim.schedule(rng.int(0, 5), () => {
              const next = { ...read, data: { n: String(Number((read.data as { n: string }).n) + 1) } };
              try {
                store.update('configmaps', 'default/counter', next, readRevision);
                if (++done < increments) sim.schedule(rng.int(0, 3), attempt);
              } catch (e) {
                expect((e as StoreError).code).toBe('Conflict');
                conflicts++;
                sim.schedule(rng.int(0, 3), attempt);
              }
            });
          };
          sim.schedule(rng.int(0, 3), attempt);
        }
        sim.runUntilIdle();
        const final = store.get('configmaps', 'default/counter')!;
        expect((final.data as { n: string }).n).toBe(String(clients * increments));
        expect(store.revision).toBe(1 + clients * increments);
        return conflicts >= 0;
      }),
      { numRuns: 50 },
    );
  });
});
