// Matcher figures: catalog load time, pastes per second, p50/p99 per paste, peak memory, a 1 MiB paste.
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load.ts';
import { Matcher } from '../src/match/matcher.ts';
import { readFixtureCases } from '../src/match/evaluate.ts';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function benchMatcher(): void {
  const t0 = performance.now();
  const catalog = loadCatalog(process.env.EHLO_CATALOG_ROOT);
  const matcher = new Matcher(catalog);
  const loadMs = performance.now() - t0;
  const pastes = readFixtureCases(fileURLToPath(new URL('../test/fixtures', import.meta.url))).map((c) => c.text);
  for (let i = 0; i < 3; i++) for (const p of pastes) matcher.match(p);
  const times: number[] = [];
  const rounds = Math.max(1, Math.ceil(20_000 / pastes.length));
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const p of pastes) {
      const a = performance.now();
      matcher.match(p);
      times.push(performance.now() - a);
    }
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const big = '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found '.repeat(22_000).slice(0, 1024 * 1024);
  const digits = '1.'.repeat(512 * 1024);
  const b0 = performance.now();
  matcher.match(big);
  const bigMs = performance.now() - b0;
  const d0 = performance.now();
  matcher.match(digits);
  const digitsMs = performance.now() - d0;
  const mem = process.memoryUsage();
  console.log('matcher');
  console.log(`  catalog: ${catalog.playbooks.length} playbooks, ${catalog.intents.length} intents, loaded and compiled in ${loadMs.toFixed(1)} ms (aim < 300 ms)`);
  console.log(`  corpus: ${pastes.length} pastes × ${rounds} rounds = ${times.length} matches`);
  console.log(`  throughput: ${Math.round(times.length / (total / 1000))} pastes/s on one core (aim > 10,000)`);
  console.log(`  latency per paste: p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms (aim p99 < 2 ms)`);
  console.log(`  1 MiB paste of NDR lines: ${bigMs.toFixed(1)} ms; 1 MiB of digits and dots: ${digitsMs.toFixed(1)} ms (aim < 100 ms)`);
  console.log(`  memory: peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB, heap used now ${(mem.heapUsed / 1048576).toFixed(1)} MiB`);
}

if (import.meta.main) benchMatcher();
