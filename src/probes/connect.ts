// Opening sockets to a checked address with a connect timeout, and TLS on top (implicit or after STARTTLS).
import net from 'node:net';
import tls from 'node:tls';
import type { ProbeConfig } from './config.ts';

export class ConnectError extends Error {
  readonly code: 'connect-refused' | 'connect-timeout' | 'connect-failed' | 'tls-handshake-failed';
  constructor(code: ConnectError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface ConnectOptions {
  address: string;
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** A plain TCP connection to the pinned address. */
export function openTcp(o: ConnectOptions): Promise<net.Socket> {
  return settle(net.connect({ host: o.address, port: o.port, noDelay: true }), 'connect', o, `${o.address}:${o.port}`);
}

/** A TLS connection, either fresh to the pinned address or over an existing socket (STARTTLS). */
export function openTls(o: ConnectOptions & { servername: string; config: ProbeConfig; socket?: net.Socket; alpn?: string[]; legacy?: boolean }): Promise<tls.TLSSocket> {
  const secure = tls.connect({
    ...(o.socket ? { socket: o.socket } : { host: o.address, port: o.port }),
    servername: net.isIP(o.servername) ? undefined : o.servername,
    rejectUnauthorized: false,
    // legacy: accept TLS 1.0/1.1 and old ciphers, only to tell a server that speaks nothing newer what it speaks
    secureContext: o.legacy ? legacyContext() : secureContextFor(o.config),
    ALPNProtocols: o.alpn,
  });
  return settle(secure, 'secureConnect', o, `TLS with ${o.servername}`);
}

function settle<S extends net.Socket>(socket: S, ready: 'connect' | 'secureConnect', o: ConnectOptions, what: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const done = (err?: ConnectError): void => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(ready, onReady);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onReady = (): void => done();
    const tlsStage = ready === 'secureConnect';
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = tlsStage && err.code !== 'ECONNREFUSED' ? 'tls-handshake-failed' : err.code === 'ECONNREFUSED' ? 'connect-refused' : 'connect-failed';
      done(new ConnectError(code, `${what}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`));
    };
    const onAbort = (): void => done(new ConnectError('connect-timeout', `${what}: stopped (total time limit)`));
    const timer = setTimeout(() => done(new ConnectError(tlsStage ? 'tls-handshake-failed' : 'connect-timeout', `${what}: no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(ready, onReady);
  });
}

let legacy: tls.SecureContext | undefined;

function legacyContext(): tls.SecureContext {
  legacy ??= tls.createSecureContext({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
  return legacy;
}

const contexts = new Map<string, tls.SecureContext>();

/** Node's public roots plus the configured extra CAs, built once per distinct CA set. */
export function secureContextFor(config: ProbeConfig): tls.SecureContext {
  const key = config.extraCaPem.join('\n');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext(config.extraCaPem.length ? { ca: [...tls.rootCertificates, ...config.extraCaPem] } : {});
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, ctx);
  }
  return ctx;
}
