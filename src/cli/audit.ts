// `ehlo audit export [--since] [--thread] [--format jsonl|csv]` writes the audit log to stdout;
// `ehlo audit verify` walks its hash chain and names the first broken entry (exit 1), or says how
// many entries it checked (exit 0). Both read the store of the configuration in effect.
import type { Command } from 'commander';
import { ChainVerifier, type AuditEntry } from '../audit/chain.ts';
import { AuditLog } from '../audit/log.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createStore } from '../store/create.ts';
import type { Store } from '../store/store.ts';
import { configErrorText } from './config.ts';
import { EXIT, UsageError } from './exit.ts';

const CSV_COLUMNS = ['seq', 'at', 'actorPlatform', 'actorId', 'actorName', 'thread', 'session', 'step', 'action', 'detail', 'prevHash', 'hash'] as const;

/** RFC 4180 field; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(e: AuditEntry): string {
  return CSV_COLUMNS.map((c) => csvField(e[c])).join(',');
}

export function jsonLine(e: AuditEntry): string {
  let detail: unknown = e.detail;
  try {
    detail = JSON.parse(e.detail);
  } catch {
    // an edited detail that is no longer JSON is exported as text
  }
  return JSON.stringify({ ...e, detail });
}

function since(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d{1,6})([mhd])$/.exec(value);
  if (rel) {
    const ms = Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'];
    return new Date(Date.now() - ms).toISOString();
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--since ${value}: give an ISO date/time (2026-12-03, 2026-12-03T10:00Z) or an age like 30m, 12h, 7d`);
  return new Date(t).toISOString();
}

async function withStore<T>(configFile: string | undefined, work: (store: Store) => Promise<T>): Promise<T | undefined> {
  let config;
  try {
    config = loadConfig({ file: configFile }).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configErrorText(err));
    process.exitCode = EXIT.usage;
    return undefined;
  }
  const store = createStore(config.store);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

function write(line: string): Promise<void> | undefined {
  if (process.stdout.write(`${line}\n`)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the append-only audit log: export it, verify its hash chain');
  audit
    .command('export')
    .description('write the audit log to stdout, oldest first')
    .option('--since <when>', 'entries at or after this time (ISO date/time, or an age: 30m, 12h, 7d)')
    .option('--thread <key>', 'entries of one thread (its key, e.g. slack:T0:C0:1733220000.000100)')
    .option('--format <format>', 'jsonl (one JSON object a line) or csv (with a header line)', 'jsonl')
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG)')
    .addHelpText('after', '\nColumns: seq, at, actorPlatform, actorId, actorName, thread, session, step, action, detail (JSON), prevHash, hash.\nThe export is not a proof by itself: run `ehlo audit verify` against the store.\n')
    .action(async (flags: { since?: string; thread?: string; format: string; config?: string }) => {
      if (flags.format !== 'jsonl' && flags.format !== 'csv') throw new UsageError(`--format ${flags.format}: use jsonl or csv`);
      const from = since(flags.since);
      await withStore(flags.config, async (store) => {
        if (flags.format === 'csv') await write(CSV_COLUMNS.join(','));
        for await (const e of new AuditLog(store).entries({ since: from, thread: flags.thread })) await write(flags.format === 'csv' ? csvLine(e) : jsonLine(e));
      });
    });
  audit
    .command('verify')
    .description('check the hash chain of the whole log: exit 0 intact, 1 broken (names the first broken entry)')
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG)')
    .action(async (flags: { config?: string }) => {
      await withStore(flags.config, async (store) => {
        const verifier = new ChainVerifier();
        for await (const e of new AuditLog(store).entries()) if (!verifier.check(e)) break;
        const broken = verifier.broken;
        if (broken) {
          process.stdout.write(`audit log BROKEN at entry ${broken.seq} (${store.where}): ${broken.reason}\nEntries before ${Math.min(broken.seq, broken.expectedSeq)} are intact.\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        process.stdout.write(`audit log intact (${store.where}): ${verifier.count} entr${verifier.count === 1 ? 'y' : 'ies'}, hash chain verified from the first.\n`);
      });
    });
}
