// Probe jobs through the queue vs in-process probes: the same SMTP probe (banner, EHLO, QUIT) against
// a loopback server, N probes 8 at a time, run (a) in this process and (b) as pg-boss jobs taken by an
// `ehlo runner` child process, reading results the way a replica does. Prints jobs/s, median and p99
// per probe, and the ratio queue / in-process. Needs PostgreSQL (DATABASE_URL); figures only.
// Standalone: `node bench/runner.ts [N]`; `npm run bench` calls run().
import { InProcessExecutor, type ProbeExecutor } from '../src/probes/executor.ts';
import { ProbeLimiter } from '../src/probes/limits.ts';
import { testConfig } from '../test/helpers/probe-config.ts';
import { startSmtp } from '../test/helpers/smtp.ts';
import { dropQueueSchema, replicaExecutor, startRunner, testRunners, uniqueQueueSchema } from '../test/runner/helpers.ts';

const AT_ONCE = 8;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drive(executor: ProbeExecutor, target: string, n: number): Promise<{ perSecond: number; p50: number; p99: number; bad: number }> {
  const walls: number[] = [];
  let bad = 0;
  let next = 0;
  const one = async (): Promise<void> => {
    const t = performance.now();
    const r = await executor.run({ kind: 'smtp', target, options: { quitAfter: 'ehlo' } });
    walls.push(performance.now() - t);
    if (r.status === 'error' || r.status === 'refused') bad++;
  };
  for (let i = 0; i < AT_ONCE; i++) await one(); // warm-up
  walls.length = 0;
  bad = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next++ < n) await one();
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  walls.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: percentile(walls, 50), p99: percentile(walls, 99), bad };
}

export async function run(n = 200): Promise<void> {
  console.log(`Probe runners: ${n} SMTP probes (banner, EHLO), ${AT_ONCE} at a time, loopback server`);
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('  skipped: set DATABASE_URL to a PostgreSQL the bench may create a schema in');
    return;
  }
  const smtp = await startSmtp();
  const target = `127.0.0.1:${smtp.port}`;
  const probes = testConfig();
  const local = new InProcessExecutor(probes, new ProbeLimiter());
  const inProcess = await drive(local, target, n);
  const schema = uniqueQueueSchema();
  const runners = testRunners(schema, { zones: ['*=bench'], pollMs: 50, concurrency: AT_ONCE, deadlineMs: 60_000 });
  const executor = replicaExecutor(runners, probes);
  await executor.ready();
  const child = await startRunner({ zone: 'bench', name: 'bench-1', url, runners, probes: { allow: ['127.0.0.0/8'], timeouts: { totalMs: 10_000 }, limits: { maxConcurrentPerTarget: 1_000, perTargetPerMinute: 100_000, perUserPerMinute: 100_000 } } });
  try {
    const queued = await drive(executor, target, n);
    const line = (label: string, r: typeof inProcess): string =>
      `  ${label.padEnd(34)} ${r.perSecond.toFixed(1).padStart(7)} probes/s   median ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms${r.bad ? `   ${r.bad} errors` : ''}`;
    console.log(line('in process', inProcess));
    console.log(line(`queue + 1 runner (poll ${runners.pollMs} ms)`, queued));
    console.log(`  ratio queue / in process: ${(queued.perSecond / inProcess.perSecond).toFixed(2)} (throughput), ${(queued.p50 / inProcess.p50).toFixed(1)}x median latency`);
  } finally {
    await child.stop();
    await executor.close();
    await smtp.close();
    await dropQueueSchema(schema);
  }
}

export default run;

if (import.meta.main) await run(Number(process.argv[2]) || 200);
