// SMTP servers on 127.0.0.1 for tests: a real `smtp-server` (with or without STARTTLS, implicit TLS) and a raw
// TCP server for misbehaviour (421 at connect, stalling, closing mid-EHLO).
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Pem } from './certs.ts';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** Certificate for STARTTLS (or implicit TLS with `secure`); without it STARTTLS is not offered. */
  tls?: Pem;
  secure?: boolean;
  /** Host name in the greeting and EHLO answer. */
  name?: string;
  authMethods?: string[];
  /** Offer no AUTH at all (smtp-server offers PLAIN and LOGIN when authMethods is empty). */
  noAuth?: boolean;
  /** Highest TLS version the server speaks (e.g. 'TLSv1.1' for a legacy server). */
  maxTls?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export async function startSmtp(o: SmtpOptions = {}): Promise<Listening> {
  const server = new SMTPServer({
    name: o.name ?? 'mail.example.test',
    secure: Boolean(o.secure),
    ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
    ...(o.maxTls ? { minVersion: 'TLSv1' as const, maxVersion: o.maxTls, ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    disabledCommands: [...(o.tls ? [] : ['STARTTLS']), ...(o.noAuth ? ['AUTH'] : [])],
    authOptional: true,
    authMethods: o.authMethods ?? ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    size: 36_700_160,
    logger: false,
    onData: (stream, _session, cb) => {
      stream.resume();
      stream.on('end', () => cb(new Error('this test server accepts no mail')));
    },
  });
  server.on('error', () => undefined); // a client hanging up mid-handshake is part of the tests
  return listen(server.server as net.Server, () => new Promise((resolve) => server.close(() => resolve())));
}

/** A raw TCP server: `onSocket` scripts each connection (write a 421, stall, close after EHLO …). */
export async function startRawServer(onSocket: (socket: net.Socket) => void): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onSocket(s);
  });
  return listen(server, () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
}

/** Calls `fn` with each complete line the client sends. */
export function onLines(socket: net.Socket, fn: (line: string) => void): void {
  let buffer = '';
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      fn(buffer.slice(0, nl).replace(/\r$/, ''));
      buffer = buffer.slice(nl + 1);
    }
  });
}

async function listen(server: net.Server, close: () => Promise<void>): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close };
}
