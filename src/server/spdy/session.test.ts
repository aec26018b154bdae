import { constants, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyServerSession, type SpdyStream } from './session.js';

const adler32 = (b: Buffer) => {
  let a = 1;
  let s = 0;
  for (const x of b) (a = (a + x) % 65521), (s = (s + a) % 65521);
  return ((s << 16) | a) >>> 0;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const headerBlock = (h: Record<string, string>) => Buffer.concat([u32(Object.keys(h).length), ...Object.entries(h).flatMap(([k, v]) => [u32(k.length), Buffer.from(k), u32(v.length), Buffer.from(v)])]);
const control = (type: number, flags: number, body: Buffer) => {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags << 24) | body.length) >>> 0, 4);
  return Buffer.concat([h, body]);
};
const data = (id: number, flags: number, body: Buffer) => Buffer.concat([u32(id), u32(((flags << 24) | body.length) >>> 0), body]);

describe('SPDY/3.1 server session (the subset port-forward uses)', () => {
  it('uses the SPDY/3 dictionary from the spec: 1,423 bytes, dictionary id 0xe3c6a7c2', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe('e3c6a7c2');
  });

  it('accepts streams with their headers, answers SYN_REPLY, carries data both ways with FIN, echoes PING', () => {
    const sent: Buffer[] = [];
    const streams: SpdyStream[] = [];
    const received: string[] = [];
    const s = new SpdyServerSession((b) => sent.push(b), (st) => (streams.push(st), st.onData((d) => received.push(d.toString())), st.onEnd(() => received.push('<fin>'))), () => {});
    // The client's header blocks are one zlib stream with the dictionary, flushed per frame (as Go's spdystream writes them).
    const block = deflateSync(headerBlock({ streamtype: 'data', port: '80', requestid: '0' }), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const syn = Buffer.concat([u32(1), u32(0), Buffer.from([0, 0]), block]);
    const bytes = Buffer.concat([control(1, 0, syn), data(1, 0, Buffer.from('GET / HTTP/1.1\r\n\r\n')), data(1, 1, Buffer.alloc(0)), control(6, 0, u32(7))]);
    // Delivered in awkward pieces, as a transport may.
    for (let i = 0; i < bytes.length; i += 5) s.receive(bytes.subarray(i, i + 5));
    expect(streams.map((x) => [x.id, Object.fromEntries(x.headers)])).toEqual([[1, { streamtype: 'data', port: '80', requestid: '0' }]]);
    expect(received).toEqual(['GET / HTTP/1.1\r\n\r\n', '<fin>']);
    const reply = sent[0]!;
    expect(reply.readUInt16BE(2)).toBe(2);
    expect(reply.readUInt32BE(8)).toBe(1);
    expect(inflateSync(reply.subarray(12), { finishFlush: constants.Z_SYNC_FLUSH }).readUInt32BE(0)).toBe(0);
    expect(sent[1]).toEqual(control(6, 0, u32(7)));
    streams[0]!.write('HTTP/1.1 200 OK\r\n\r\n');
    streams[0]!.end();
    expect(sent.slice(2)).toEqual([data(1, 0, Buffer.from('HTTP/1.1 200 OK\r\n\r\n')), data(1, 1, Buffer.alloc(0))]);
  });

  it('a frame it cannot read ends the session with GOAWAY, not the server', () => {
    const sent: Buffer[] = [];
    let closed = false;
    const s = new SpdyServerSession((b) => sent.push(b), () => {}, () => (closed = true));
    s.receive(control(1, 0, Buffer.concat([u32(1), u32(0), Buffer.from([0, 0]), Buffer.from('not zlib')])));
    expect(closed).toBe(true);
    expect(sent.at(-1)!.readUInt16BE(2)).toBe(7);
  });
});
