// Did the resolver validate an answer with DNSSEC? Node's resolver (c-ares) does not expose the AD
// ("authenticated data") bit, so this asks the same question once more in a plain UDP query with AD set
// (RFC 6840 section 5.7: a validating resolver then says AD=1 for a validated answer) and reads the flag.
// Bounded: one datagram out, one in (at most 4096 bytes), a timeout, cancellable.
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { randomInt } from 'node:crypto';

const TYPES = { A: 1, TLSA: 52, MX: 15, TXT: 16 } as const;

/** A DNS query for name/type with RD and AD set, and an EDNS0 OPT record with the DO bit. */
export function adQuery(id: number, name: string, type: keyof typeof TYPES): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1])];
  for (const l of labels) {
    const b = Buffer.from(l, 'ascii');
    if (b.length > 63) throw new Error('label too long');
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0, 0, TYPES[type], 0, 1]));
  // OPT: root name, type 41, UDP size 4096, extended rcode 0, version 0, flags DO (0x8000), no options
  parts.push(Buffer.from([0, 0, 41, 0x10, 0x00, 0, 0, 0x80, 0x00, 0, 0]));
  return Buffer.concat(parts);
}

/** `ip:port`, `[ipv6]:port` or a bare IP (port 53), as Resolver.getServers() lists them. */
export function serverAddress(server: string): { host: string; port: number } | undefined {
  const bracket = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(server);
  if (bracket) return { host: bracket[1]!, port: Number(bracket[2] ?? 53) };
  if (isIP(server)) return { host: server, port: 53 };
  const v4 = /^([0-9.]+):(\d{1,5})$/.exec(server);
  return v4 && isIP(v4[1]!) === 4 ? { host: v4[1]!, port: Number(v4[2]) } : undefined;
}

/** true when the resolver marked the answer DNSSEC-validated, false when it did not, undefined when it did not answer. */
export function askAd(server: string, name: string, type: keyof typeof TYPES, timeoutMs: number, signal?: AbortSignal): Promise<boolean | undefined> {
  const to = serverAddress(server);
  if (!to) return Promise.resolve(undefined);
  const id = randomInt(0, 0x10000);
  let query: Buffer;
  try {
    query = adQuery(id, name, type);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const socket = dgram.createSocket(isIP(to.host) === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (v: boolean | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.close();
      resolve(v);
    };
    const onAbort = (): void => finish(undefined);
    const timer = setTimeout(() => finish(undefined), Math.max(1, timeoutMs));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', () => finish(undefined));
    socket.on('message', (msg, rinfo) => {
      if (msg.length < 12 || msg.length > 4096 || rinfo.address !== to.host || rinfo.port !== to.port) return;
      if (msg.readUInt16BE(0) !== id || !(msg[2]! & 0x80)) return;
      finish((msg[3]! & 0x20) !== 0);
    });
    socket.send(query, to.port, to.host, (err) => {
      if (err) finish(undefined);
    });
  });
}
