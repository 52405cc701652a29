// Reads SMTP replies (RFC 5321 4.2: `250-…` continues, `250 …` ends) from a socket, bounded in bytes and time.
import type net from 'node:net';
import type { Transcript } from './transcript.ts';

export interface SmtpReply {
  code: number;
  /** Text of each line, without the code. */
  lines: string[];
  /** Milliseconds from the read call to the complete reply. */
  ms: number;
}

export class ReadError extends Error {
  readonly code: 'read-timeout' | 'connection-closed' | 'protocol-error' | 'too-much-data';
  constructor(code: ReadError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const MAX_LINE = 4096;
const MAX_LINES = 200;

export class SmtpReader {
  private socket: net.Socket | undefined;
  private buffer = '';
  private bytes = 0;
  private pending: string[] = [];
  private replies: SmtpReply[] = [];
  private failure: ReadError | undefined;
  private wake: (() => void) | undefined;
  private readonly maxBytes: number;
  private readonly transcript: Transcript;
  private readonly onData = (chunk: Buffer): void => this.take(chunk);
  private readonly onEnd = (): void => this.fail(new ReadError('connection-closed', 'the server closed the connection'));
  private readonly onError = (err: Error): void => this.fail(new ReadError('connection-closed', `connection error: ${err.message}`));

  constructor(maxBytes: number, transcript: Transcript) {
    this.maxBytes = maxBytes;
    this.transcript = transcript;
  }

  attach(socket: net.Socket): void {
    this.detach();
    this.socket = socket;
    this.buffer = '';
    this.pending = [];
    this.replies = [];
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Stops listening (before a TLS upgrade takes the socket over). */
  detach(): void {
    const s = this.socket;
    if (!s) return;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onEnd);
    s.off('error', this.onError);
    this.socket = undefined;
  }

  send(line: string): void {
    this.transcript.client(line);
    this.socket?.write(`${line}\r\n`);
  }

  /** The next complete reply, or a ReadError after `timeoutMs` / on close / past the byte bound. */
  async read(timeoutMs: number, signal: AbortSignal): Promise<SmtpReply> {
    const start = performance.now();
    const deadline = start + timeoutMs;
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return { ...reply, ms: Math.round(performance.now() - start) };
      if (this.failure) throw this.failure;
      if (signal.aborted) throw new ReadError('read-timeout', 'stopped: total time limit reached');
      const left = deadline - performance.now();
      if (left <= 0) throw new ReadError('read-timeout', `no reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, left);
        signal.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
  }

  private take(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.fail(new ReadError('too-much-data', `the server sent more than ${this.maxBytes} bytes`));
      this.socket?.destroy();
      return;
    }
    this.buffer += chunk.toString('latin1');
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      this.line(this.buffer.slice(0, nl).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(nl + 1);
    }
    if (this.buffer.length > MAX_LINE) this.fail(new ReadError('protocol-error', `a reply line longer than ${MAX_LINE} characters`));
    this.wake?.();
  }

  private line(text: string): void {
    this.transcript.server(text);
    const m = /^(\d{3})([ -]?)(.*)$/.exec(text);
    if (!m) return this.fail(new ReadError('protocol-error', `not an SMTP reply line: "${text.slice(0, 60)}"`));
    this.pending.push(m[3]!);
    if (this.pending.length > MAX_LINES) return this.fail(new ReadError('protocol-error', `a reply of more than ${MAX_LINES} lines`));
    if (m[2] === '-') return;
    this.replies.push({ code: Number(m[1]), lines: this.pending, ms: 0 });
    this.pending = [];
  }

  private fail(err: ReadError): void {
    this.failure ??= err;
    this.wake?.();
  }
}
