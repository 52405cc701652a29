// A small authoritative DNS server on 127.0.0.1 (UDP, dns-packet + node:dgram) serving records given in the test.
// Names absent from the records answer NXDOMAIN, names present without the asked type answer NODATA, a CNAME is
// followed inside the served records, and names listed in `stall` get no answer at all (timeouts).
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';

export type DnsRecord =
  | { name: string; type: 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'NS'; data: string }
  | { name: string; type: 'TXT'; data: string }
  | { name: string; type: 'MX'; data: { preference: number; exchange: string } }
  | { name: string; type: 'SRV'; data: { priority: number; weight: number; port: number; target: string } }
  | { name: string; type: 'TLSA'; data: { usage: number; selector: number; matchingType: number; certificate: Buffer } };

export interface DnsServer {
  port: number;
  /** `127.0.0.1:port`, the form EHLO_DNS_SERVERS and ProbeConfig.dnsServers take. */
  server: string;
  /** Every question received, as `name TYPE`. */
  queries: string[];
  /** Replace the served records. */
  setRecords(records: DnsRecord[]): void;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  /** Names (lowercase) that are never answered. */
  stall?: string[];
  /** Answer every question with this rcode (e.g. 'SERVFAIL', 'REFUSED'). */
  rcode?: 'SERVFAIL' | 'REFUSED';
  /** Names (lowercase) whose answers carry the AD bit, as a validating resolver marks DNSSEC-validated data. */
  authenticated?: string[];
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export async function startDnsServer(records: DnsRecord[], opts: DnsServerOptions = {}): Promise<DnsServer> {
  let served = index(records);
  const queries: string[] = [];
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024, sendBufferSize: 8 * 1024 * 1024 });
  socket.on('message', (msg, rinfo) => {
    let query: Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    const name = q.name.toLowerCase().replace(/\.$/, '');
    queries.push(`${name} ${q.type}`);
    if (opts.stall?.includes(name)) return;
    const { rcode, answers } = opts.rcode ? { rcode: RCODE[opts.rcode], answers: [] } : answer(served, name, q.type);
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (opts.authenticated?.includes(name) ? dnsPacket.AUTHENTIC_DATA : 0) | rcode,
      questions: [q],
      answers,
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return {
    port,
    server: `127.0.0.1:${port}`,
    queries,
    setRecords: (r) => (served = index(r)),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function index(records: DnsRecord[]): Map<string, DnsRecord[]> {
  const map = new Map<string, DnsRecord[]>();
  for (const r of records) {
    const key = r.name.toLowerCase().replace(/\.$/, '');
    map.set(key, [...(map.get(key) ?? []), r]);
  }
  return map;
}

function answer(served: Map<string, DnsRecord[]>, name: string, type: string): { rcode: number; answers: Answer[] } {
  const answers: Answer[] = [];
  let current = name;
  for (let hops = 0; hops < 8; hops++) {
    const here = served.get(current);
    if (!here) return { rcode: answers.length ? RCODE.NOERROR : RCODE.NXDOMAIN, answers };
    const exact = here.filter((r) => r.type === type);
    const cname = here.find((r) => r.type === 'CNAME');
    if (exact.length || !cname) {
      answers.push(...exact.map((r) => toAnswer(current, r)));
      return { rcode: RCODE.NOERROR, answers };
    }
    answers.push(toAnswer(current, cname));
    current = (cname.data as string).toLowerCase().replace(/\.$/, '');
  }
  return { rcode: RCODE.NOERROR, answers };
}

function toAnswer(name: string, r: DnsRecord): Answer {
  const base = { name, ttl: 60, class: 'IN' as const };
  switch (r.type) {
    case 'TXT':
      return { ...base, type: 'TXT', data: chunk(r.data) };
    case 'MX':
      return { ...base, type: 'MX', data: r.data };
    case 'SRV':
      return { ...base, type: 'SRV', data: r.data };
    case 'TLSA':
      return { ...base, type: 'TLSA', data: r.data };
    default:
      return { ...base, type: r.type, data: r.data } as Answer;
  }
}

/** TXT character-strings are at most 255 bytes; longer text is split as DNS publishers do. */
function chunk(text: string): Buffer[] {
  const buf = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 255) parts.push(buf.subarray(i, i + 255));
  return parts.length ? parts : [Buffer.alloc(0)];
}
