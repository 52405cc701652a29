// `ehlo probe <kind> <target>`: run one safe probe and print findings (or the exact JSON contract).
import { readFileSync } from 'node:fs';
import { Argument, InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROBE_KINDS } from '../catalog/schema.ts';
import type { ProbeKind } from '../catalog/schema.ts';
import { PROBE_HELP, parseTarget, probeConfigFromEnv, runProbe, TargetError } from '../probes/index.ts';
import type { ProbeConfig, ProbeResult } from '../probes/index.ts';
import { EXIT } from './exit.ts';

interface ProbeFlags {
  port?: number;
  quitAfter?: 'banner' | 'ehlo' | 'tls';
  json?: boolean;
  timeout?: number;
  config?: string;
  transcript?: boolean;
  tlsOnConnect?: boolean;
}

const MARK: Record<string, string> = { pass: '✓', info: '·', warn: '!', fail: '✗' };

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('Run one safe, read-only network check (exit 0 ran, 1 could not run, 2 usage, 3 refused by policy)')
    .addArgument(new Argument('<kind>', 'what to check').choices(PROBE_KINDS))
    .argument('<target>', 'host[:port], domain, IP or URL, depending on the kind')
    .option('--port <n>', 'port to connect to', intIn(1, 65535))
    .addOption(new Option('--quit-after <stage>', 'smtp: stop after this stage (never MAIL/RCPT/DATA)').choices(['banner', 'ehlo', 'tls']))
    .option('--tls-on-connect', 'smtp: TLS from the first byte (implied by port 465)')
    .option('--json', 'print the result as one JSON object')
    .option('--timeout <ms>', 'total time limit in milliseconds (never above the configured one)', intIn(1, 300_000))
    .option('--config <file>', 'YAML file with a probes: section')
    .option('--transcript', 'also print the transcript (human output)')
    .addHelpText('after', `\nKinds:\n${PROBE_KINDS.map((k) => `  ${k.padEnd(13)}${PROBE_HELP[k]}`).join('\n')}\n\nEnvironment (one run):\n  EHLO_PROBE_ALLOW   comma-separated domains, *.domains and CIDRs that may be probed (replaces the allow list)\n  EHLO_DNS_SERVERS   comma-separated resolvers ip[:port]\n`)
    .action(async (kind: ProbeKind, target: string, flags: ProbeFlags, cmd: Command) => {
      const config = loadConfig(flags.config, cmd);
      try {
        parseTarget(kind, target, flags.port);
      } catch (err) {
        if (err instanceof TargetError) cmd.error(`ehlo probe ${kind}: ${err.message}`, { exitCode: EXIT.usage, code: 'ehlo.usage' });
        throw err;
      }
      const result = await runProbe(kind, target, { config, port: flags.port, quitAfter: flags.quitAfter, tlsOnConnect: flags.tlsOnConnect, timeoutMs: flags.timeout });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : humanReport(result, Boolean(flags.transcript)));
      process.exitCode = result.status === 'refused' ? EXIT.refused : result.status === 'error' ? EXIT.failed : EXIT.ok;
    });
}

function intIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** The environment over an optional config file's `probes:` section; a bad value is a usage error. */
function loadConfig(file: string | undefined, cmd: Command): ProbeConfig {
  try {
    const doc: unknown = file ? parseYaml(readFileSync(file, 'utf8')) : undefined;
    const section = doc && typeof doc === 'object' && 'probes' in doc ? (doc as { probes: unknown }).probes : {};
    return probeConfigFromEnv(process.env, (section ?? {}) as Parameters<typeof probeConfigFromEnv>[1]);
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || 'probes'}: ${i.message}`).join('; ') : err instanceof Error ? err.message : String(err);
    cmd.error(`ehlo probe: bad probe configuration (${file ?? 'environment'}): ${why}`, { exitCode: EXIT.usage, code: 'ehlo.usage' });
  }
}

/** A readable findings list with ✓ · ! ✗ marks, the playbook each points to, and optionally the transcript. */
export function humanReport(r: ProbeResult, withTranscript: boolean): string {
  const lines = [`${r.probe} ${r.target}: ${r.status.toUpperCase()} (${r.ms} ms)`];
  for (const f of r.findings) {
    lines.push(`  ${MARK[f.severity] ?? '?'} ${f.message}${f.playbook ? `  → playbook ${f.playbook}` : ''}`);
  }
  if (withTranscript && r.transcript.length) lines.push('', 'Transcript:', ...r.transcript.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
