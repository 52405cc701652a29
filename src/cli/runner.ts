// `ehlo runner --zone NAME`: a probe runner for one network zone. It takes that zone's probe jobs
// from the PostgreSQL queue, runs them through its own probe policy (its own probes.allow /
// EHLO_PROBE_ALLOW), and serves GET /livez /readyz /metrics on PORT until SIGTERM or SIGINT, when it
// stops taking jobs and gives the ones in hand a grace period (pg-boss hands unfinished ones on).
import { InvalidArgumentError, type Command } from 'commander';
import { ConfigError, loadConfig, maskUrl } from '../config.ts';
import { createLogger } from '../log.ts';
import { createRunnerMetrics } from '../runner/metrics.ts';
import { Runner } from '../runner/runner.ts';
import { ZONE_NAME } from '../runner/zones.ts';
import { HttpHost } from '../server/http.ts';
import { createMetrics } from '../server/metrics.ts';
import { configErrorText } from './config.ts';
import { EXIT } from './exit.ts';
import { listenFailure, untilStopSignal } from './serving.ts';

interface RunnerFlags {
  zone: string;
  config?: string;
  concurrency?: number;
  name?: string;
  grace: number;
}

const DESCRIPTION = 'run a probe runner for one network zone: take its probe jobs from the PostgreSQL queue, run them through this runner\'s own probe policy';

async function runRunner(flags: RunnerFlags): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig({ file: flags.config });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configErrorText(err));
    return EXIT.usage;
  }
  const { config } = loaded;
  const url = config.runners.databaseUrl ?? config.store.databaseUrl;
  if (!url) {
    process.stderr.write('ehlo: a runner takes its jobs from PostgreSQL: set DATABASE_URL (or EHLO_QUEUE_DATABASE_URL / runners.databaseUrl) to a role with the grants in README "Probe runners".\n');
    return EXIT.usage;
  }
  const runners = flags.concurrency ? { ...config.runners, concurrency: flags.concurrency } : config.runners;
  const logger = createLogger(config.logging, { tty: Boolean(process.stderr.isTTY) }).child({ zone: flags.zone });
  const metrics = createMetrics();
  const holder: { runner?: Runner } = {};
  const runnerMetrics = createRunnerMetrics(metrics.registry, { zone: flags.zone, boss: () => holder.runner?.boss, queue: () => holder.runner?.queue ?? '' });
  const runner = new Runner({ zone: flags.zone, url, runners, probes: config.probes, logger, metrics: runnerMetrics, name: flags.name });
  holder.runner = runner;
  const http = new HttpHost({
    port: config.server.port,
    host: config.server.host,
    logger,
    metrics,
    ready: async () => {
      const boss = runner.boss;
      if (!boss) return { ok: false, detail: 'not taking jobs' };
      try {
        await boss.getDb().executeSql('SELECT 1');
        return { ok: true, detail: `zone ${flags.zone}, queue ${runner.queue}, ${runner.active} job(s) running` };
      } catch (err) {
        return { ok: false, detail: `the queue database does not answer (${err instanceof Error ? err.message.slice(0, 120) : 'error'})` };
      }
    },
  });
  try {
    await runner.start();
  } catch (err) {
    process.stderr.write(`ehlo: ${err instanceof Error ? err.message : String(err)}\n`);
    await runner.stop(0).catch(() => undefined);
    return EXIT.failed;
  }
  let port: number;
  try {
    port = await http.listen();
  } catch (err) {
    await runner.stop(0);
    process.stderr.write(`ehlo: cannot serve health and metrics: ${listenFailure(err, config.server.port)}\n`);
    return EXIT.failed;
  }
  process.stderr.write(`ehlo: runner ${runner.name} taking probe jobs of zone ${flags.zone} (queue ${runner.queue}, ${maskUrl(url)} schema ${runners.schema}); GET /livez /readyz /metrics on ${config.server.host}:${port}. Ctrl-C stops.\n`);
  await untilStopSignal(logger, 'runner stopping');
  await runner.stop(flags.grace);
  await http.close();
  logger.info('runner stopped');
  logger.flush();
  return EXIT.ok;
}

function integer(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function registerRunner(program: Command): void {
  program
    .command('runner')
    .description(DESCRIPTION)
    .requiredOption('--zone <name>', 'the zone whose jobs this runner takes (as named in runners.zones / EHLO_PROBE_ZONES, e.g. dmz)', (v: string) => {
      if (!ZONE_NAME.test(v)) throw new InvalidArgumentError('a zone is 1 to 40 lowercase letters, digits, dashes or underscores');
      return v;
    })
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG); its probes section is this runner\'s own policy')
    .option('--concurrency <n>', 'jobs run at once (default runners.concurrency, 8)', integer(1, 256))
    .option('--name <name>', 'how results and progress name this runner (default host:pid)')
    .option('--grace <ms>', 'on SIGTERM, how long jobs in hand may finish before they are handed back', integer(0, 600_000), 10_000)
    .action(async (flags: RunnerFlags) => {
      process.exitCode = await runRunner(flags);
    });
}
