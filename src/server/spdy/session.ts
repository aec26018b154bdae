import { constants, inflateSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

/** SPDY/3.1 control frame types (draft-mbelshe-httpbis-spdy-00 §2.6). */
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 0x01;
const MAX_FRAME = 1 << 24;
const SYNC_MARK = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** One stream the client opened, with the headers it sent. */
export interface SpdyStream {
  readonly id: number;
  readonly headers: ReadonlyMap<string, string>;
  /** Bytes the client sends on the stream; `end` when it half-closes (FIN). */
  onData(fn: (data: Buffer) => void): void;
  onEnd(fn: () => void): void;
  write(data: Buffer | string): void;
  /** Half-close from our side (DATA with FIN). */
  end(): void;
}

/**
 * The server side of a SPDY/3.1 session, over any byte transport (a
 * WebSocket tunnel or an upgraded socket): the subset Go's spdystream uses
 * for port-forward — SYN_STREAM answered by SYN_REPLY, DATA both ways with
 * FIN, RST_STREAM, PING echoed, GOAWAY. Header blocks from the client are
 * inflated with the SPDY/3 dictionary (one zlib stream per session); ours
 * are zlib stored blocks, which any inflater reads without a dictionary.
 */
export class SpdyServerSession {
  private buffer: Buffer = Buffer.alloc(0);
  private headerIn: Buffer[] = [];
  private headerOutLength = 0;
  private headerOutStarted = false;
  private readonly streams = new Map<number, { data: Array<(d: Buffer) => void>; end: Array<() => void>; ended: boolean; finished: boolean }>();
  private closed = false;

  constructor(
    private readonly send: (bytes: Buffer) => void,
    private readonly onStream: (stream: SpdyStream) => void,
    private readonly onClose: () => void,
  ) {}

  /** Feed bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUIntBE(5, 3);
      if (this.buffer.length < 8 + length) return;
      const frame = this.buffer.subarray(0, 8 + length);
      this.buffer = this.buffer.subarray(8 + length);
      try {
        this.frame(frame);
      } catch (e) {
        // A frame we cannot read ends the session (a protocol error), never the server.
        process.stderr.write(`spdy: ${(e as Error).message}\n`);
        this.goAway();
        return;
      }
    }
  }

  private frame(f: Buffer): void {
    const flags = f[4]!;
    const body = f.subarray(8);
    if ((f[0]! & 0x80) === 0) {
      const id = f.readUInt32BE(0) & 0x7fffffff;
      const s = this.streams.get(id);
      if (s === undefined) return;
      if (body.length > 0) for (const fn of s.data) fn(Buffer.from(body));
      if ((flags & FLAG_FIN) !== 0 && !s.ended) {
        s.ended = true;
        for (const fn of s.end) fn();
      }
      return;
    }
    const type = f.readUInt16BE(2);
    if (type === SYN_STREAM) return this.synStream(body, flags);
    if (type === RST_STREAM) {
      const s = this.streams.get(body.readUInt32BE(0) & 0x7fffffff);
      if (s !== undefined && !s.ended) (s.ended = true), s.end.forEach((fn) => fn());
      return;
    }
    if (type === PING) return this.control(PING, 0, body);
    if (type === GOAWAY) return this.close();
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for port-forward.
  }

  private synStream(body: Buffer, flags: number): void {
    const id = body.readUInt32BE(0) & 0x7fffffff;
    const headers = this.inflateHeaders(body.subarray(10));
    const state = { data: [] as Array<(d: Buffer) => void>, end: [] as Array<() => void>, ended: (flags & FLAG_FIN) !== 0, finished: false };
    this.streams.set(id, state);
    // SYN_REPLY: the stream is accepted (no headers).
    const reply = Buffer.alloc(4);
    reply.writeUInt32BE(id);
    this.control(SYN_REPLY, 0, Buffer.concat([reply, this.deflateHeaders(new Map())]));
    const stream: SpdyStream = {
      id,
      headers,
      onData: (fn) => void state.data.push(fn),
      onEnd: (fn) => (state.ended ? fn() : void state.end.push(fn)),
      write: (data) => {
        if (state.finished || this.closed) return;
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        for (let i = 0; i < bytes.length; i += MAX_FRAME - 1) this.data(id, 0, bytes.subarray(i, i + MAX_FRAME - 1));
      },
      end: () => {
        if (state.finished || this.closed) return;
        state.finished = true;
        this.data(id, FLAG_FIN, Buffer.alloc(0));
      },
    };
    this.onStream(stream);
  }

  /** The client's header blocks form one zlib stream: inflate all of it and keep what is new. */
  private inflateHeaders(block: Buffer): Map<string, string> {
    this.headerIn.push(block);
    const all = inflateSync(Buffer.concat(this.headerIn), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const mine = all.subarray(this.headerOutLength);
    this.headerOutLength = all.length;
    const headers = new Map<string, string>();
    let at = 4;
    const count = mine.readUInt32BE(0);
    for (let i = 0; i < count; i++) {
      const nl = mine.readUInt32BE(at);
      const name = mine.subarray(at + 4, at + 4 + nl).toString('latin1');
      at += 4 + nl;
      const vl = mine.readUInt32BE(at);
      headers.set(name.toLowerCase(), mine.subarray(at + 4, at + 4 + vl).toString('latin1'));
      at += 4 + vl;
    }
    return headers;
  }

  /** A header block as zlib stored blocks (the stream header once, then one non-final stored block per block). */
  private deflateHeaders(headers: Map<string, string>): Buffer {
    const parts: Buffer[] = [];
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    parts.push(u32(headers.size));
    for (const [k, v] of headers) parts.push(u32(k.length), Buffer.from(k, 'latin1'), u32(v.length), Buffer.from(v, 'latin1'));
    const raw = Buffer.concat(parts);
    const stored = Buffer.alloc(5);
    stored[0] = 0x00;
    stored.writeUInt16LE(raw.length, 1);
    stored.writeUInt16LE(~raw.length & 0xffff, 3);
    const head = this.headerOutStarted ? Buffer.alloc(0) : Buffer.from([0x78, 0x01]);
    this.headerOutStarted = true;
    // An empty stored block ends each header block, as a zlib sync flush does: an inflater hands
    // out what it has when it reaches one, rather than reading on into the next frame.
    return Buffer.concat([head, stored, raw, SYNC_MARK]);
  }

  private control(type: number, flags: number, body: Buffer): void {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8003, 0);
    h.writeUInt16BE(type, 2);
    h.writeUInt32BE((((flags & 0xff) << 24) | body.length) >>> 0, 4);
    this.send(Buffer.concat([h, body]));
  }

  private data(id: number, flags: number, body: Buffer): void {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(id & 0x7fffffff, 0);
    h.writeUInt32BE((((flags & 0xff) << 24) | body.length) >>> 0, 4);
    this.send(Buffer.concat([h, body]));
  }

  private goAway(): void {
    const body = Buffer.alloc(8);
    body.writeUInt32BE(0, 0);
    body.writeUInt32BE(1, 4); // PROTOCOL_ERROR
    this.control(GOAWAY, 0, body);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) if (!s.ended) (s.ended = true), s.end.forEach((fn) => fn());
    this.onClose();
  }
}
