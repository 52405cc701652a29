// The smtp probe: banner, EHLO, STARTTLS, EHLO again, QUIT. Stops where asked (swaks' --quit-after) and
// never sends MAIL FROM, RCPT or DATA.
import type net from 'node:net';
import type tls from 'node:tls';
import { ConnectError, openTcp, openTls } from './connect.ts';
import type { SmtpReply } from './smtp-reader.ts';
import { ReadError, SmtpReader } from './smtp-reader.ts';
import type { CertFacts } from './tls-inspect.ts';
import { checkRevocation } from './crl.ts';
import { checkDane } from './dane.ts';
import { inspectTls } from './tls-inspect.ts';
import { legacyMessage } from './legacy-tls.ts';
import type { PinnedTarget } from './policy.ts';
import type { ProbeContext, ConnectRunner } from './types.ts';

/** Ports where SMTP usually starts with TLS (465 submissions, 4465 as some hosts publish it). */
const IMPLICIT_TLS_PORTS = new Set([465, 4465]);

/** Greetings a firewall's SMTP inspection masks with asterisks (e.g. `220 ****************`). */
const MASKED = /\*{4,}/;

interface Session {
  t: PinnedTarget & { address: string; port: number };
  ctx: ProbeContext;
  reader: SmtpReader;
  socket: net.Socket;
  /** Replies received so far; zero means the target never answered (status error). */
  replies: number;
  bannerName?: string;
  cert?: CertFacts;
}

export const runSmtp: ConnectRunner = async (target, ctx) => {
  const t = { ...target, address: target.address, port: target.port ?? 25 };
  const implicit = ctx.options.tlsOnConnect ?? t.port === 465;
  const reader = new SmtpReader(ctx.config.limits.maxBytes, ctx.transcript);
  let socket: net.Socket;
  try {
    const base = { address: t.address, port: t.port, timeoutMs: Math.min(ctx.config.timeouts.connectMs, ctx.remaining()), signal: ctx.signal };
    socket = implicit ? await openTls({ ...base, servername: t.host, config: ctx.config }) : await openTcp(base);
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    ctx.add('fail', err.code, err.message);
    return { error: true };
  }
  ctx.progress(`connected to ${t.address}:${t.port}${implicit ? ' (TLS)' : ''}`);
  const s: Session = { t, ctx, reader, socket, replies: 0 };
  reader.attach(socket);
  try {
    if (implicit) s.cert = inspectTls(socket as tls.TLSSocket, t.host, ctx);
    await converse(s, implicit);
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    ctx.add('fail', err.code, `${err.message}${s.replies ? '' : ' (before any greeting)'}`);
    if (!s.replies && !implicit && err.code === 'read-timeout' && IMPLICIT_TLS_PORTS.has(t.port)) {
      ctx.add('info', 'try-implicit-tls', `port ${t.port} stayed silent: it usually expects TLS from the first byte (implicit TLS, no STARTTLS); run the check again with --tls-on-connect`);
    }
    if (!s.replies) return { error: true };
  } finally {
    s.socket.destroy();
  }
  if (s.cert) {
    await checkRevocation(s.cert, ctx);
    await checkDane(t.host, t.port, s.cert.chainDer, ctx);
  }
};

async function converse(s: Session, implicit: boolean): Promise<void> {
  const stop = s.ctx.options.quitAfter;
  if (!(await banner(s)) || stop === 'banner') return quit(s);
  const ext = await ehlo(s, 'ehlo');
  if (!ext || stop === 'ehlo') return quit(s);
  if (implicit) return quit(s);
  if (!ext.has('STARTTLS')) {
    s.ctx.add('fail', 'starttls-missing', `${s.t.display} does not offer STARTTLS: mail to it travels in clear, and senders that require TLS (451 5.7.3) give up`);
    return quit(s);
  }
  if (!(await starttls(s)) || stop === 'tls') return quit(s);
  await ehlo(s, 'ehlo-tls');
  return quit(s);
}

async function read(s: Session): Promise<SmtpReply> {
  const reply = await s.reader.read(Math.min(s.ctx.config.timeouts.readMs, s.ctx.remaining()), s.ctx.signal);
  s.replies++;
  return reply;
}

async function banner(s: Session): Promise<boolean> {
  const r = await read(s);
  const text = r.lines.join(' ').slice(0, 200);
  if (r.code === 421) s.ctx.add('fail', 'smtp-busy-at-connect', `421 at connect: the server refuses sessions for now (${text})`);
  else if (r.code === 554) s.ctx.add('fail', 'smtp-rejected-at-connect', `554 at connect: the server refuses this client, often a blocklisted or unknown IP (${text})`);
  else if (r.code !== 220) s.ctx.add('fail', 'banner-unexpected', `greeting ${r.code} instead of 220 (${text})`);
  if (r.code !== 220) return false;
  const slow = r.ms > s.ctx.config.timeouts.slowBannerMs;
  s.ctx.add(slow ? 'warn' : 'pass', slow ? 'banner-slow' : 'banner', slow ? `the greeting took ${r.ms} ms: the server delays (tarpits) this client` : `220 greeting in ${r.ms} ms`);
  s.bannerName = firstWord(r.lines[0]);
  if (MASKED.test(text)) s.ctx.add('warn', 'smtp-inspection', `the greeting is masked ("${text.slice(0, 60)}"): a firewall's SMTP inspection sits in the path and can hide STARTTLS`);
  else compareName(s, 'banner', s.bannerName);
  return true;
}

async function ehlo(s: Session, stage: 'ehlo' | 'ehlo-tls'): Promise<Set<string> | undefined> {
  s.reader.send(`EHLO ${s.ctx.config.ehloName}`);
  const r = await read(s);
  if (r.code !== 250) {
    s.ctx.add('fail', 'ehlo-rejected', `EHLO answered ${r.code}: ${r.lines.join(' ').slice(0, 160)}`);
    return undefined;
  }
  if (stage === 'ehlo') compareName(s, 'EHLO', firstWord(r.lines[0]));
  const ext = r.lines.slice(1).map((l) => l.trim()).filter(Boolean);
  const keys = new Set(ext.map((l) => firstWord(l).toUpperCase()));
  const masked = ext.find((l) => /^X{4,}A?$/i.test(firstWord(l)));
  if (masked) s.ctx.add('warn', 'smtp-inspection', `EHLO lists "${masked.slice(0, 20)}": a firewall's SMTP inspection rewrites the extensions (often STARTTLS) before they reach ehlo`);
  s.ctx.add('info', stage === 'ehlo' ? 'extensions' : 'extensions-after-tls', `${stage === 'ehlo' ? 'offers' : 'after TLS offers'}: ${describe(ext) || 'no extensions'}`);
  const auth = ext.find((l) => /^AUTH[ =]/i.test(l))?.toUpperCase() ?? '';
  if (stage === 'ehlo' && !(s.socket as { encrypted?: boolean }).encrypted && /\b(?:PLAIN|LOGIN)\b/.test(auth)) {
    s.ctx.add('warn', 'auth-before-tls', `${auth.slice(5)} offered before STARTTLS: passwords could cross the network in clear`);
  }
  return keys;
}

async function starttls(s: Session): Promise<boolean> {
  s.ctx.progress('STARTTLS');
  s.reader.send('STARTTLS');
  const r = await read(s);
  if (r.code !== 220) {
    s.ctx.add('fail', 'starttls-rejected', `STARTTLS answered ${r.code}: ${r.lines.join(' ').slice(0, 160)}`);
    return false;
  }
  s.reader.detach();
  s.socket.on('error', () => undefined); // the TLS socket reports failures from here on
  try {
    const secure = await openTls({ address: s.t.address, port: s.t.port, socket: s.socket, servername: s.t.host, config: s.ctx.config, timeoutMs: Math.min(s.ctx.config.timeouts.connectMs, s.ctx.remaining()), signal: s.ctx.signal });
    s.socket = secure;
    s.reader.attach(secure);
    s.cert = inspectTls(secure, s.t.host, s.ctx);
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    if (/alert protocol version|alert number 70|unsupported protocol/i.test(err.message)) {
      s.ctx.transcript.note(err.message.slice(0, 300));
      s.ctx.add('fail', 'tls-legacy-only', legacyMessage(`${s.t.host}:${s.t.port}`, 'offers no TLS 1.2 or later after STARTTLS (the handshake ended with "protocol version")'));
    } else s.ctx.add('fail', 'tls-handshake-failed', `the TLS handshake after STARTTLS failed: ${err.message}`);
    return false;
  }
  if (s.bannerName && s.cert.names.length && !s.cert.names.some((n) => nameMatches(n, s.bannerName!))) {
    s.ctx.add('warn', 'banner-cert-mismatch', `the banner says ${s.bannerName} but the certificate names ${s.cert.names.slice(0, 4).join(', ')}`);
  }
  return true;
}

async function quit(s: Session): Promise<void> {
  if (s.socket.destroyed) return;
  s.reader.send('QUIT');
  await s.reader.read(Math.min(2_000, s.ctx.remaining()), s.ctx.signal).catch(() => undefined);
}

function compareName(s: Session, where: 'banner' | 'EHLO', name: string): void {
  if (s.t.isIp || !name) return;
  if (nameMatches(name, s.t.host)) return;
  s.ctx.add('warn', `${where === 'banner' ? 'banner' : 'ehlo'}-name-mismatch`, `the ${where} name ${name} is not ${s.t.host}: receivers and connectors that check names may not match it`);
}

/** Case-insensitive equality; a `*.` pattern matches exactly one leftmost label. */
function nameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return n.slice(n.indexOf('.') + 1) === p.slice(2) && n.indexOf('.') > 0;
  return p === n;
}

function firstWord(text: string | undefined): string {
  return (text ?? '').trim().split(/\s+/)[0] ?? '';
}

/** "SIZE 37748736" → "SIZE 36 MB"; the rest as sent. */
function describe(ext: string[]): string {
  return ext
    .map((l) => {
      const size = /^SIZE\s+(\d+)$/i.exec(l);
      return size ? `SIZE ${Math.round(Number(size[1]) / 1_048_576)} MB` : l;
    })
    .join(', ')
    .slice(0, 300);
}
