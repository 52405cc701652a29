import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { buildProgram, SUBCOMMANDS } from '../../src/cli/main.ts';
import { EHLO_BIN } from '../helpers/run-cli.ts';

const SCRIPT = fileURLToPath(new URL('./loaded-modules.ts', import.meta.url));
/** Modules `ehlo match`, `--help` and `--version` have no use for (of the header analysis, only its cheap test whether a paste may be headers). */
const HEAVY = /\/src\/(probes|conversation|store|channels|walkthrough)\/|\/src\/headers\/(?!diagnose\.ts$|detect\.ts$)|\/src\/(log|config)\.ts$|\/node_modules\/(pino|pg|@slack|@microsoft|undici|yaml|zod)\//;

function loadedBy(args: string[], stdin = ''): { urls: string[]; stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { input: stdin, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED ')) ?? 'LOADED []';
  return { urls: JSON.parse(line.slice(7)) as string[], stdout: r.stdout, status: r.status };
}

/** Node's own modules the CLI loaded, run with stdout and stderr on files (a pipe or a terminal loads node:net for itself). */
function builtinsOf(args: string[], file: string): { builtins: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-builtins-'));
  try {
    const out = openSync(join(dir, 'out'), 'w');
    const err = openSync(join(dir, 'err'), 'w');
    const r = spawnSync(process.execPath, [SCRIPT, ...args, file], { stdio: ['ignore', out, err] });
    closeSync(out);
    closeSync(err);
    const line = readFileSync(join(dir, 'err'), 'utf8').split('\n').find((l) => l.startsWith('BUILTINS ')) ?? 'BUILTINS []';
    return { builtins: JSON.parse(line.slice('BUILTINS '.length)) as string[], status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the CLI imports only what the subcommand needs', () => {
  it('a warm ehlo match builds none of node:net, node:zlib, node:crypto, readline or the fs promise API (an ESM import of node:fs would)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehlo-paste-'));
    try {
      const file = join(dir, 'paste.txt');
      writeFileSync(file, '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found 10.1.2.3');
      // Warm: the first run after a change builds the matcher (the catalog loader may load anything) and snapshots it.
      expect(builtinsOf(['match', '--json'], file).status).toBe(0);
      for (const args of [['match', '--json'], ['match']]) {
        const r = builtinsOf(args, file);
        expect(r.status, args.join(' ')).toBe(0);
        expect(r.builtins.length, args.join(' ')).toBeGreaterThan(20);
        expect(r.builtins.filter((m) => m === 'net' || m === 'zlib' || m === 'crypto' || m.startsWith('internal/readline') || m === 'internal/fs/promises'), args.join(' ')).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ehlo match loads the matcher and none of probes, conversation, store, log, config', () => {
    const r = loadedBy(['match', '--json'], '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('match');
    expect(r.urls.some((u) => u.endsWith('/src/match/matcher.ts'))).toBe(true);
    expect(r.urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('ehlo match in its readable form loads the card rendering, but no probe runner, store, log, config or zod', () => {
    const r = loadedBy(['match'], '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Diagnosis/);
    expect(r.urls.some((u) => u.endsWith('/src/conversation/cards/diagnosis.ts'))).toBe(true);
    // The card names probe kinds (src/probes/kinds.ts, data) and parses targets, but runs nothing.
    const RENDER_OK = /\/src\/(conversation\/(cards\/(diagnosis|parts)|actions|reply|targets)\.ts|channels\/console\/(ansi|render)\.ts|probes\/(kinds|target|step-request)\.ts)$/;
    expect(r.urls.filter((u) => HEAVY.test(u) && !RENDER_OK.test(u))).toEqual([]);
  });

  it('a warm ehlo match takes the matcher from its snapshot: no catalog loader, compiled cache or node:crypto', () => {
    // The first run writes the snapshot when it is missing or stale; the second one starts from it.
    const paste = '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found';
    expect(loadedBy(['match', '--json'], paste).status).toBe(0);
    const r = loadedBy(['match', '--json'], paste);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('match');
    expect(r.urls.some((u) => u.endsWith('/src/cli/warm-matcher.ts'))).toBe(true);
    expect(r.urls.filter((u) => /\/src\/catalog\/|\/src\/match\/index\.ts$|^node:crypto$/.test(u))).toEqual([]);
  });

  it('ehlo match loads the language detector and wording indexes only for a paste that may not be English', () => {
    const LANG = /\/src\/match\/lang(text)?\.ts$/;
    const english = loadedBy(['match', '--json'], '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    expect(english.status).toBe(0);
    expect(english.urls.filter((u) => LANG.test(u))).toEqual([]);
    const german = loadedBy(['match', '--json'], 'Die Nachricht konnte nicht zugestellt werden, das Postfach des Empfängers ist voll');
    expect(german.status).toBe(0);
    expect(JSON.parse(german.stdout).matches[0]?.playbook).toBe('mailbox-over-quota');
    expect(german.urls.filter((u) => LANG.test(u)).length).toBeGreaterThan(0);
  });

  it('ehlo match loads the header analysis only for a header paste (so the check above can tell)', () => {
    const headers = 'Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=contoso.com; dkim=none; dmarc=fail action=quarantine header.from=contoso.com;compauth=fail reason=000\nX-Forefront-Antispam-Report: CIP:203.0.113.9;CTRY:US;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:mail.contoso.com;PTR:;CAT:SPOOF;SFS:;DIR:INB;\n';
    const r = loadedBy(['match', '--json'], headers);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('headers');
    expect(r.urls.some((u) => u.endsWith('/src/headers/report.ts'))).toBe(true);
  });

  it('ehlo --help and --version load no subcommand at all', () => {
    for (const args of [['--help'], ['--version']]) {
      const r = loadedBy(args);
      expect(r.status, args[0]).toBe(0);
      expect(r.urls.filter((u) => /\/src\/(match|catalog|probes|conversation|store)\//.test(u) || HEAVY.test(u)), args[0]).toEqual([]);
    }
  });

  it('ehlo probe --help does load the probes (so the check above can tell)', () => {
    const r = loadedBy(['probe', '--help']);
    expect(r.status).toBe(0);
    expect(r.urls.some((u) => /\/src\/probes\//.test(u))).toBe(true);
  });

  it('lists every subcommand in help with the description it registers', async () => {
    for (const sub of SUBCOMMANDS) {
      const real = new Command('ehlo');
      (await sub.load())(real);
      const cmd = real.commands.find((c) => c.name() === sub.name);
      expect(cmd?.description(), sub.name).toBe(sub.description);
      expect(cmd?.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' '), sub.name).toBe(sub.args);
    }
    const help = (await buildProgram()).helpInformation();
    for (const sub of SUBCOMMANDS) expect(help).toContain(sub.name);
  });

  it('bin/ehlo.js answers --version with the package version', () => {
    const r = spawnSync(process.execPath, [EHLO_BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('0.1.0');
  });
});
