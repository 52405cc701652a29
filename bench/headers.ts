// Header analysis figures: real header pastes per second, a 1 MiB header block, 10,000 Received
// rows, and 5 MB of binary junk. Figures only; nothing here passes or fails.
import { readFileSync, readdirSync } from 'node:fs';
import { loadCatalog } from '../src/catalog/load.ts';
import { analyzeHeaders } from '../src/headers/report.ts';

function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

export function run(): void {
  const catalog = loadCatalog(process.env.EHLO_CATALOG_ROOT);
  const dir = new URL('../test/fixtures/headers/', import.meta.url);
  const pastes = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, dir), 'utf8'));
  for (const p of pastes) analyzeHeaders(p, catalog);
  const rounds = 20;
  const all = time(() => {
    for (let r = 0; r < rounds; r++) for (const p of pastes) analyzeHeaders(p, catalog);
  });
  const row = 'Received: from mail-mw2nam04lp2169.outbound.protection.outlook.com (mail-mw2nam04lp2169.outbound.protection.outlook.com [104.47.73.169])\n\tby mx02.example.net (Postfix) with ESMTPS id 40938FF920\n\tfor <someone@example.net>; Sun, 19 Feb 2023 04:13:35 -0300 (-03)\n';
  const rows = row.repeat(10_000);
  const big = `X-Forefront-Antispam-Report: CIP:1.2.3.4;SFV:SPM;SCL:5;${'SFS:(13230025);'.repeat(1)}\n${'X-Long: '.concat('a'.repeat(1024 * 1024))}\n`;
  let junk = '';
  for (let i = 0; i < 5 * 1024 * 1024; i++) junk += String.fromCharCode((i * 7919) % 256);
  const parens = `Received: ${'('.repeat(500_000)} by x; Mon, 1 Jan 2024 00:00:00 +0000\n`;
  console.log('headers');
  console.log(`  ${pastes.length} real header pastes × ${rounds}: ${Math.round((pastes.length * rounds) / (all / 1000))} reports/s (${(all / (pastes.length * rounds)).toFixed(2)} ms each)`);
  const rowsMs = [0, 1, 2].map(() => time(() => analyzeHeaders(rows, catalog)));
  console.log(`  10,000 Received rows (${(rows.length / 1048576).toFixed(1)} MiB, read up to 2 MiB): first ${rowsMs[0]?.toFixed(1)} ms, best of 3 ${Math.min(...rowsMs).toFixed(1)} ms`);
  console.log(`  1 MiB header field: ${time(() => analyzeHeaders(big, catalog)).toFixed(1)} ms`);
  console.log(`  5 MB of binary junk: ${time(() => analyzeHeaders(junk, catalog)).toFixed(1)} ms`);
  console.log(`  500,000 open parentheses in one Received row: ${time(() => analyzeHeaders(parens, catalog)).toFixed(1)} ms`);
  console.log(`  memory: peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`);
}

if (import.meta.main) run();
