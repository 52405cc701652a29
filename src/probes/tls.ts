// The tls probe: a TLS handshake with the target and what the certificate says. On SMTP ports it goes
// through STARTTLS (the smtp probe, stopping after the handshake); elsewhere TLS starts at connect.
import { ConnectError, openTls } from './connect.ts';
import { runSmtp } from './smtp.ts';
import { checkCrl } from './crl.ts';
import { inspectTls } from './tls-inspect.ts';
import type { ConnectRunner } from './types.ts';

const STARTTLS_PORTS = new Set([25, 587, 2525]);

export const runTls: ConnectRunner = async (t, ctx) => {
  const port = t.port ?? 443;
  if (ctx.options.starttls ?? STARTTLS_PORTS.has(port)) {
    ctx.transcript.note(ctx.options.starttls ? `STARTTLS asked for: SMTP first on port ${port}` : `port ${port} speaks SMTP: TLS through STARTTLS`);
    return runSmtp(t, { ...ctx, options: { ...ctx.options, quitAfter: 'tls' } });
  }
  try {
    const socket = await openTls({ address: t.address, port, servername: t.host, config: ctx.config, timeoutMs: Math.min(ctx.config.timeouts.connectMs, ctx.remaining()), signal: ctx.signal });
    let facts;
    try {
      facts = inspectTls(socket, t.host, ctx);
    } finally {
      socket.destroy();
    }
    await checkCrl(facts.crlUrls, ctx);
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    ctx.add('fail', err.code, err.message);
    return { error: err.code !== 'tls-handshake-failed' };
  }
};
