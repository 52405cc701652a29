// Probe figures: an SMTP+STARTTLS probe and a 30-zone DNSBL check against loopback servers, median and p99
// wall time, ehlo's own CPU per probe (main thread only: the servers run in a worker thread), and how many
// concurrent probes run without errors. Figures only; nothing here passes or fails.
// Standalone: `node bench/probes.ts`; `npm run bench` calls run().
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ProbeConfig } from '../src/probes/config.ts';
import { ProbeLimiter } from '../src/probes/limits.ts';
import { runProbe } from '../src/probes/run.ts';
import type { ProbeResult } from '../src/probes/types.ts';
import { makeCa, makeCert } from '../test/helpers/certs.ts';
import type { DnsRecord } from '../test/helpers/dns-server.ts';
import { startDnsServer } from '../test/helpers/dns-server.ts';
import { startSmtp } from '../test/helpers/smtp.ts';

const ZONES = Array.from({ length: 30 }, (_, i) => `zone${i}.bl.test`);
const HOST = 'mail.bench.test';

interface Servers {
  smtpPort: number;
  dns: string;
  ca: string;
}

/** Worker side: the SMTP server with STARTTLS and the DNS server with 30 zones (every third lists 127.0.0.2). */
async function serve(): Promise<void> {
  const ca = await makeCa();
  const smtp = await startSmtp({ name: HOST, tls: await makeCert({ names: [HOST], ca }), authMethods: ['XOAUTH2'] });
  const records: DnsRecord[] = [{ name: HOST, type: 'A', data: '127.0.0.1' }];
  ZONES.forEach((z, i) => i % 3 === 0 && records.push({ name: `2.0.0.127.${z}`, type: 'A', data: '127.0.0.2' }));
  const dns = await startDnsServer(records);
  parentPort!.postMessage({ smtpPort: smtp.port, dns: dns.server, ca: ca.cert } satisfies Servers);
}

function startServers(): Promise<{ servers: Servers; worker: Worker }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'probe-servers' } });
  return new Promise((resolve, reject) => {
    worker.once('message', (servers: Servers) => resolve({ servers, worker }));
    worker.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, n: number, once: () => Promise<ProbeResult>, ok: (r: ProbeResult) => boolean): Promise<void> {
  for (let i = 0; i < 5; i++) await once(); // warm-up
  const walls: number[] = [];
  let failures = 0;
  const cpu0 = process.threadCpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await once();
    walls.push(performance.now() - t0);
    if (!ok(r)) failures++;
  }
  const cpu = process.threadCpuUsage(cpu0);
  walls.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000 / n;
  console.log(`${label.padEnd(34)} n=${n}  median ${percentile(walls, 50).toFixed(2)} ms  p99 ${percentile(walls, 99).toFixed(2)} ms  ehlo CPU ${cpuMs.toFixed(2)} ms/probe  unexpected ${failures}`);
}

async function concurrency(label: string, counts: number[], once: () => Promise<ProbeResult>, ok: (r: ProbeResult) => boolean): Promise<void> {
  for (const c of counts) {
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: c }, once));
    const bad = results.filter((r) => !ok(r));
    const usual = new Set(results.find(ok)?.findings.map((f) => f.code) ?? []);
    const why = [...new Set(bad.flatMap((r) => r.findings.map((f) => f.code)).filter((c) => !usual.has(c)))].slice(0, 3).join(', ');
    console.log(`${label.padEnd(34)} ${String(c).padStart(4)} at once: ${c - bad.length} ok, ${bad.length} errors${why ? ` (${why})` : ''}, ${(performance.now() - t0).toFixed(0)} ms wall`);
  }
}

export async function run(): Promise<void> {
  console.log(`Probes (loopback servers in a worker thread; ${availableParallelism()} cores). Wall time is mostly the servers:`);
  console.log('smtp-server holds its greeting ~100 ms to catch early talkers; "ehlo CPU" is this thread\'s own work per probe.');
  const { servers, worker } = await startServers();
  try {
    const config = ProbeConfig.parse({
      allow: ['127.0.0.0/8', '*.bench.test'],
      dnsServers: [servers.dns],
      dnsblZones: ZONES,
      extraCaPem: [servers.ca],
      limits: { maxConcurrent: 10_000, maxConcurrentPerTarget: 10_000, perTargetPerMinute: 100_000, perUserPerMinute: 100_000 },
    });
    const limiter = new ProbeLimiter();
    const smtp = () => runProbe('smtp', `${HOST}:${servers.smtpPort}`, { config, limiter });
    const smtpOk = (r: ProbeResult) => r.findings.some((f) => f.code === 'extensions-after-tls') && r.status !== 'error';
    const dnsbl = () => runProbe('dnsbl', '127.0.0.2', { config, limiter });
    const dnsblOk = (r: ProbeResult) => r.findings.filter((f) => f.code === 'ip-listed').length === 10 && r.findings.some((f) => f.code === 'dnsbl-clean');
    await measure('smtp + STARTTLS + EHLO twice', 200, smtp, smtpOk);
    await measure('dnsbl, 30 zones in parallel', 200, dnsbl, dnsblOk);
    await concurrency('smtp + STARTTLS concurrent', [50, 100, 200], smtp, smtpOk);
    await concurrency('dnsbl 30 zones concurrent', [50, 100, 200], dnsbl, dnsblOk);
  } finally {
    await worker.terminate();
  }
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === 'probe-servers') await serve();
else if (import.meta.main) await run();
