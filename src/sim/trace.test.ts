import { describe, expect, it } from 'vitest';
import { Trace, hashTraceLines } from './trace.js';

describe('Trace', () => {
  it('writes one JSON object per event with t and type first', () => {
    const trace = new Trace({ keepLines: true });
    trace.record(5, 'net.deliver', { from: 'a', to: 'b' });
    trace.record(6, 'fault.heal');
    expect(trace.lines).toEqual(['{"t":5,"type":"net.deliver","from":"a","to":"b"}', '{"t":6,"type":"fault.heal"}']);
  });

  it('hashes the lines so equal histories give equal hashes and any change shows', () => {
    const a = new Trace({ keepLines: true });
    const b = new Trace();
    for (const t of [a, b]) {
      t.record(1, 'x', { n: 1 });
      t.record(2, 'y');
    }
    expect(a.hash).toBe(b.hash);
    expect(hashTraceLines(a.lines)).toBe(a.hash);
    b.record(3, 'z');
    expect(b.hash).not.toBe(a.hash);
  });

  it('passes each line to a sink and refuses to return lines it did not keep', () => {
    const seen: string[] = [];
    const trace = new Trace({ sink: (l) => seen.push(l) });
    trace.record(0, 'start');
    expect(seen).toEqual(['{"t":0,"type":"start"}']);
    expect(() => trace.lines).toThrow(/keepLines/);
  });
});
