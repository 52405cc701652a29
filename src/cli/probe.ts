// `ehlo probe <kind> <target>`: run one safe probe and print findings (or the exact JSON contract).
import { Argument, InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { PROBE_KINDS } from '../catalog/schema.ts';
import type { ProbeKind } from '../catalog/schema.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { dirname, join } from 'node:path';
import { PROBE_HELP, ProbeLimiter, SqliteRateStore, parseTarget, runProbe, TargetError } from '../probes/index.ts';
import { DEFAULT_SQLITE_PATH } from '../store/sqlite.ts';
import { configErrorText } from './config.ts';
import type { ProbeConfig, ProbeResult } from '../probes/index.ts';
import { EXIT } from './exit.ts';
import { findingLines } from '../conversation/cards/parts.ts';

interface ProbeFlags {
  port?: number;
  quitAfter?: 'banner' | 'ehlo' | 'tls';
  json?: boolean;
  timeout?: number;
  config?: string;
  transcript?: boolean;
  tlsOnConnect?: boolean;
  starttls?: boolean;
  dkimSelector?: string[];
  email?: string;
  httpPort?: number;
}


export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('run one safe, read-only network check (exit 0 ran, 1 could not run, 2 usage, 3 refused by policy)')
    .addArgument(new Argument('<kind>', 'what to check').choices(PROBE_KINDS))
    .argument('<target>', 'host[:port], domain, IP or URL, depending on the kind')
    .option('--port <n>', 'port to connect to', intIn(1, 65535))
    .addOption(new Option('--quit-after <stage>', 'smtp: stop after this stage (never MAIL/RCPT/DATA)').choices(['banner', 'ehlo', 'tls']))
    .option('--tls-on-connect', 'smtp: TLS from the first byte (implied by port 465)')
    .option('--starttls', 'tls: speak SMTP and STARTTLS first, on any port (default on 25, 587 and 2525)')
    .option('--no-starttls', 'tls: TLS from the first byte, even on 25, 587 or 2525')
    .option('--dkim-selector <selector>', 'dns: also look up this DKIM selector (repeatable; e.g. the s= of a DKIM-Signature)', collect, [])
    .option('--email <address>', 'autodiscover: the mailbox address to ask about')
    .option('--http-port <n>', 'autodiscover: the plain-HTTP port of the HTTP redirect method (default 80)', intIn(1, 65535))
    .option('--json', 'print the result as one JSON object')
    .option('--timeout <ms>', 'total time limit in milliseconds (never above the configured one)', intIn(1, 300_000))
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG); its probes: section applies')
    .option('--transcript', 'also print the transcript (human output)')
    .addHelpText('after', `\nKinds:\n${PROBE_KINDS.map((k) => `  ${k.padEnd(13)}${PROBE_HELP[k]}`).join('\n')}\n\nEnvironment (one run):\n  EHLO_PROBE_ALLOW   comma-separated domains, *.domains and CIDRs that may be probed (replaces the allow list)\n  EHLO_DNS_SERVERS   comma-separated resolvers ip[:port]\n`)
    .action(async (kind: ProbeKind, target: string, flags: ProbeFlags, cmd: Command) => {
      const { config, rates } = probeSettings(flags.config, cmd);
      try {
        parseTarget(kind, target, flags.port);
      } catch (err) {
        if (err instanceof TargetError) cmd.error(`ehlo probe ${kind}: ${err.message}`, { exitCode: EXIT.usage, code: 'ehlo.usage' });
        throw err;
      }
      const result = await runProbe(kind, target, {
        config,
        port: flags.port,
        quitAfter: flags.quitAfter,
        tlsOnConnect: flags.tlsOnConnect,
        starttls: flags.starttls,
        dkimSelectors: flags.dkimSelector?.length ? flags.dkimSelector : undefined,
        email: flags.email,
        httpPort: flags.httpPort,
        timeoutMs: flags.timeout,
        limiter: new ProbeLimiter(rates),
      });
      rates.close();
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : humanReport(result, Boolean(flags.transcript)));
      process.exitCode = result.status === 'refused' ? EXIT.refused : result.status === 'error' ? EXIT.failed : EXIT.ok;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function intIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/**
 * The `probes:` section of the configuration (ehlo.config.yaml, --config or EHLO_CONFIG, then the environment),
 * and the rate store every `ehlo probe` process shares: probe-limits.sqlite beside the SQLite store
 * (data/ by default), so back-to-back runs count against the same per-target and per-user limits.
 */
function probeSettings(file: string | undefined, cmd: Command): { config: ProbeConfig; rates: SqliteRateStore } {
  try {
    const loaded = loadConfig({ file }).config;
    const rates = new SqliteRateStore(join(dirname(loaded.store.sqlitePath ?? DEFAULT_SQLITE_PATH), PROBE_LIMITS_FILE));
    return { config: loaded.probes, rates };
  } catch (err) {
    if (err instanceof ConfigError) cmd.error(configErrorText(err), { exitCode: EXIT.usage, code: 'ehlo.usage' });
    throw err;
  }
}

export const PROBE_LIMITS_FILE = 'probe-limits.sqlite';

/** A readable findings list with ✓ · ! ✗ marks, the playbook each points to, and optionally the transcript. */
/** The probe result as the chat and console cards show it (the same finding lines), every finding, and the transcript when asked. */
export function humanReport(r: ProbeResult, withTranscript: boolean): string {
  const lines = [`${r.probe} ${r.target}: ${r.status.toUpperCase()} (${r.ms} ms)`, ...findingLines(r, Number.POSITIVE_INFINITY).map((l) => `  ${l}`)];
  if (withTranscript && r.transcript.length) lines.push('', 'Transcript:', ...r.transcript.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
