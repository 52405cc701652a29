// `npm run eval`: per-topic precision and recall over the labelled corpus, plus the confusion list.
import { fileURLToPath } from 'node:url';
import { defaultMatcher } from '../src/match/index.ts';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { breakdown, evaluate, formatBreakdown, formatMisses, readCases, readFixtureCases } from '../src/match/evaluate.ts';

const USAGE = `usage: node bench/eval.ts [--blind-misses] | --cases FILE.jsonl | --help
  (no option)      the tuning set (test/fixtures/cases, the corpus), the known failures kept apart,
                   then the blind file's figures
  --blind-misses   also list the blind file's misses (for the record only: never tune on them)
  --cases FILE     score one JSONL file of labelled cases alone (a held-out DEV split, say): figures,
                   per language and kind, and its misses; nothing else is read`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const only = process.argv.indexOf('--cases');
if (only >= 0) {
  const file = process.argv[only + 1];
  if (!file || !existsSync(file)) {
    console.error(`eval: --cases needs an existing JSONL file${file ? ` (not found: ${file})` : ''}\n${USAGE}`);
    process.exit(2);
  }
  if (resolve(file) === fileURLToPath(new URL('../test/fixtures/blind/cases.jsonl', import.meta.url))) {
    console.error('eval: the blind file is scored by the plain run (its misses only with --blind-misses, for the record); --cases is for files you tune against');
    process.exit(2);
  }
  const own = readCases(file);
  const eo = evaluate(defaultMatcher(), own);
  console.log(`${file}: cases ${eo.total} · top-1 topic correct ${eo.correct} (${(eo.accuracy * 100).toFixed(1)}%)`);
  console.log(formatBreakdown(breakdown(defaultMatcher(), own)));
  if (eo.misses.length) console.log(`\nmisses (${eo.misses.length}):\n${formatMisses(eo)}`);
  process.exit(0);
}

const cases = readFixtureCases(fileURLToPath(new URL('../test/fixtures', import.meta.url)));
const e = evaluate(defaultMatcher(), cases);
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
console.log(`cases ${e.total} · top-1 topic correct ${e.correct} (${pct(e.accuracy)})\n`);
console.log(`${'topic'.padEnd(38)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}  tp fp fn`);
for (const [topic, c] of [...e.perTopic.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  console.log(`${topic.padEnd(38)} ${pct(p).padStart(9)} ${pct(r).padStart(7)}  ${String(c.tp).padStart(2)} ${String(c.fp).padStart(2)} ${String(c.fn).padStart(2)}`);
}
const exampleTexts = new Set(defaultMatcher().catalog.intents.flatMap((i) => i.examples.map((x) => x.text.trim())));
const heldOut = evaluate(defaultMatcher(), cases.filter((c) => !exampleTexts.has(c.text.trim())));
console.log(`\nheld out (text not used as any intent's example): ${heldOut.total} cases · top-1 topic correct ${heldOut.correct} (${pct(heldOut.accuracy)})`);
if (e.misses.length) console.log(`\nconfusion list (${e.misses.length}):\n${formatMisses(e)}`);

console.log(`\nper language and per paste kind, all fixtures (top-1, top-3, none = share answered none):\n${formatBreakdown(breakdown(defaultMatcher(), cases))}`);

// Known failures kept apart from the tuning set (test/fixtures/heldout/README.md): listed, so they are not forgotten.
const apartDir = fileURLToPath(new URL('../test/fixtures/heldout/', import.meta.url));
for (const name of existsSync(apartDir) ? readdirSync(apartDir).filter((f) => f.endsWith('.jsonl')).sort() : []) {
  const ea = evaluate(defaultMatcher(), readCases(resolve(apartDir, name)));
  console.log(`\nknown failures kept apart (test/fixtures/heldout/${name}): ${ea.total} cases · top-1 topic correct ${ea.correct}`);
  if (ea.misses.length) console.log(formatMisses(ea));
}

// The blind file: real pastes collected before any tuning, never tuned on (test/fixtures/blind/README.md).
const blindFile = fileURLToPath(new URL('../test/fixtures/blind/cases.jsonl', import.meta.url));
if (existsSync(blindFile)) {
  const blind = readCases(blindFile);
  const eb = evaluate(defaultMatcher(), blind);
  console.log(`\n=== BLIND, NEVER TUNED ON: test/fixtures/blind/cases.jsonl ===`);
  console.log(`cases ${eb.total} · top-1 topic correct ${eb.correct} (${pct(eb.accuracy)})`);
  console.log(formatBreakdown(breakdown(defaultMatcher(), blind)));
  if (process.argv.includes('--blind-misses') && eb.misses.length) console.log(`\nblind misses (${eb.misses.length}):\n${formatMisses(eb)}`);
}
