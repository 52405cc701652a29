// The tls probe: a TLS handshake with the target and what the certificate says. On SMTP ports it goes
// through STARTTLS (the smtp probe, stopping after the handshake); elsewhere TLS starts at connect.
import { ConnectError, openTls } from './connect.ts';
import { runSmtp } from './smtp.ts';
import { checkRevocation } from './crl.ts';
import { inspectTls } from './tls-inspect.ts';
import { legacyMessage } from './legacy-tls.ts';
import type { ConnectRunner, ConnectTarget, ProbeContext } from './types.ts';

const STARTTLS_PORTS = new Set([25, 587, 2525]);

export const runTls: ConnectRunner = async (t, ctx) => {
  const port = t.port ?? 443;
  if (ctx.options.starttls ?? STARTTLS_PORTS.has(port)) {
    ctx.transcript.note(ctx.options.starttls ? `STARTTLS asked for: SMTP first on port ${port}` : `port ${port} speaks SMTP: TLS through STARTTLS`);
    return runSmtp(t, { ...ctx, options: { ...ctx.options, quitAfter: 'tls', tlsOnConnect: false } });
  }
  try {
    const socket = await openTls({ address: t.address, port, servername: t.host, config: ctx.config, timeoutMs: Math.min(ctx.config.timeouts.connectMs, ctx.remaining()), signal: ctx.signal });
    let facts;
    try {
      facts = inspectTls(socket, t.host, ctx);
    } finally {
      socket.destroy();
    }
    await checkRevocation(facts, ctx);
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    if (err.code === 'tls-handshake-failed' && (await legacyOnly(t, port, ctx))) return;
    ctx.add('fail', err.code, err.message);
    return { error: err.code !== 'tls-handshake-failed' };
  }
};

/** After a failed handshake: does the server speak only TLS 1.0/1.1? Then say so instead of an alert number. */
async function legacyOnly(t: ConnectTarget, port: number, ctx: ProbeContext): Promise<boolean> {
  if (ctx.remaining() < 50) return false;
  try {
    const socket = await openTls({ address: t.address, port, servername: t.host, config: ctx.config, timeoutMs: Math.min(ctx.config.timeouts.connectMs, ctx.remaining()), signal: ctx.signal, legacy: true });
    const protocol = socket.getProtocol() ?? 'unknown';
    const cipher = socket.getCipher().name;
    socket.destroy();
    if (protocol === 'TLSv1.2' || protocol === 'TLSv1.3') return false;
    ctx.transcript.note(`a second handshake that also accepts TLS 1.0/1.1 got ${protocol} ${cipher}`);
    ctx.add('fail', 'tls-legacy-only', legacyMessage(`${t.host}:${port}`, `speaks only ${protocol} (${cipher})`));
    return true;
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    return false;
  }
}
