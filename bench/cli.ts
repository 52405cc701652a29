// CLI figures (issue 16), child processes on a warm cache, interleaved: `ehlo match FILE` (the form
// a person types, with the card rendered; and with --json), `ehlo --version`, each as a ratio of `node -e 0`'s wall time; `ehlo match --jsonl` over 50 MB of
// lines: every line answered, and the child's peak RSS. Figures only. Standalone: `node bench/cli.ts`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/ehlo.js', import.meta.url));
const OOF = '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]';
/** Prints the process's CPU time (user + system, µs) on stderr at exit: a figure a loaded machine disturbs less than wall time. */
const CPU_HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nCPU "+(u.user+u.system)+"\\n")})`;
/** Prints the process's peak RSS (KiB) on stderr at exit. */
const RSS_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))`;

function wall(args: string[]): number {
  const a = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - a;
}

/** The child's CPU time in ms (its own threads included: compilation, GC). */
function cpu(args: string[]): number {
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(/CPU (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ehlo-bench-cli-'));
  try {
    const paste = join(dir, 'paste.txt');
    writeFileSync(paste, OOF);
    // Warm the catalog, matcher and compile caches (both forms load different modules).
    wall([BIN, 'match', paste, '--json']);
    wall([BIN, 'match', paste]);
    const t = { node: [] as number[], match: [] as number[], json: [] as number[], version: [] as number[], help: [] as number[] };
    for (let i = 0; i < 15; i++) {
      t.node.push(wall(['-e', '0']));
      t.match.push(wall([BIN, 'match', paste]));
      t.json.push(wall([BIN, 'match', paste, '--json']));
      t.version.push(wall([BIN, '--version']));
      t.help.push(wall([BIN, '--help']));
    }
    const node = median(t.node);
    console.log('cli (child processes, warm cache, median of 15, interleaved)');
    console.log(`  node -e 0: ${node.toFixed(0)} ms`);
    console.log(`  ehlo match FILE: ${median(t.match).toFixed(0)} ms = ${(median(t.match) / node).toFixed(2)}× node -e 0 (aim ≤ 4×)`);
    console.log(`  ehlo match FILE --json: ${median(t.json).toFixed(0)} ms = ${(median(t.json) / node).toFixed(2)}× node -e 0`);
    console.log(`  ehlo --version: ${median(t.version).toFixed(0)} ms = ${(median(t.version) / node).toFixed(2)}× node -e 0 (aim ≤ 2×)`);
    console.log(`  ehlo --help: ${median(t.help).toFixed(0)} ms = ${(median(t.help) / node).toFixed(2)}× node -e 0`);
    const c = { node: [] as number[], match: [] as number[], json: [] as number[] };
    for (let i = 0; i < 9; i++) {
      c.node.push(cpu(['-e', '0']));
      c.match.push(cpu([BIN, 'match', paste]));
      c.json.push(cpu([BIN, 'match', paste, '--json']));
    }
    const nodeCpu = median(c.node);
    console.log(`  CPU time (user + system, median of 9): node -e 0 ${nodeCpu.toFixed(0)} ms; ehlo match FILE ${median(c.match).toFixed(0)} ms = ${(median(c.match) / nodeCpu).toFixed(2)}×; --json ${median(c.json).toFixed(0)} ms = ${(median(c.json) / nodeCpu).toFixed(2)}×`);

    const file = join(dir, 'bounces.jsonl');
    const out = createWriteStream(file);
    let bytes = 0;
    let lines = 0;
    const big = JSON.stringify({ id: 'big', text: `${OOF}\n${'Remote server returned an error; the mailbox is full. '.repeat(40_000)}` });
    while (bytes < 50 * 1024 * 1024) {
      const line = lines % 500 === 3 ? big : JSON.stringify({ id: String(lines), text: lines % 2 ? `${OOF} #${lines}` : `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ${lines}` });
      if (!out.write(`${line}\n`)) await once(out, 'drain');
      bytes += line.length + 1;
      lines++;
    }
    out.end();
    await once(out, 'close');
    const a = performance.now();
    const r = spawnSync(process.execPath, ['--import', RSS_HOOK, BIN, 'match', '--jsonl', file], { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' });
    const ms = performance.now() - a;
    let answered = 0;
    for (let i = r.stdout.indexOf('\n'); i >= 0; i = r.stdout.indexOf('\n', i + 1)) answered++;
    const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    console.log(`  ehlo match --jsonl over ${(bytes / 1048576).toFixed(0)} MB (${lines} lines): ${answered} answered, exit ${r.status}, ${(ms / 1000).toFixed(1)} s, peak RSS ${rss.toFixed(0)} MiB (aim < 250 MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
