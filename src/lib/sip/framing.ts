/**
 * SIP over a byte stream (RFC 3261 §18.3): messages follow each other with no
 * separator, so each one ends where its Content-Length says. CRLFs between
 * messages are keep-alives (RFC 5626 §3.5.1) and are skipped.
 */
import { findHeaderEnd } from './message';

export class FramingError extends Error {}

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds bytes; returns every complete message now available. Throws FramingError on a broken stream. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      let skip = 0;
      while (skip < this.buf.length && (this.buf[skip] === 0x0d || this.buf[skip] === 0x0a)) skip++;
      if (skip > 0) this.buf = this.buf.subarray(skip);
      if (this.buf.length === 0) break;
      const end = findHeaderEnd(this.buf);
      if (!end) {
        if (this.buf.length > this.maxMessageBytes) throw new FramingError('SIP header block too large');
        break;
      }
      const head = this.buf.subarray(0, end.index).toString('latin1');
      const m = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)[ \t]*$/im.exec(head);
      let length = 0;
      if (m) {
        if (!/^\d{1,9}$/.test(m[1])) throw new FramingError('bad Content-Length');
        length = Number(m[1]);
      }
      const total = end.index + end.length + length;
      if (total > this.maxMessageBytes) throw new FramingError('SIP message too large');
      if (this.buf.length < total) break;
      out.push(Buffer.from(this.buf.subarray(0, total)));
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  /** Bytes of a message not yet complete. */
  get pending(): number {
    return this.buf.length;
  }
}
