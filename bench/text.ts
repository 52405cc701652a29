// Text safety figures: redaction and mention neutralising over 1 MiB of hostile input (a run of
// "eyJ-" that made the old JWT pattern quadratic, addresses without domains, mention tokens, blanks,
// random bytes, real NDR text). The target: each under 50 ms on the development VM.
// Figures only; nothing passes or fails. Standalone: `node bench/text.ts`.
import { randomBytes } from 'node:crypto';
import { neutraliseMentions, safeBlock } from '../src/text/neutralise.ts';
import { redact } from '../src/text/redact.ts';

const MIB = 1024 * 1024;

function inputs(): Record<string, string> {
  return {
    'eyJ- run': 'eyJ-'.repeat(MIB / 4),
    'local parts, no domain': `${'a'.repeat(63)}@`.repeat(MIB / 64),
    'mention tokens': '<!channel> <@U123|bob> '.repeat(MIB / 23),
    'blanks': ' \t'.repeat(MIB / 2),
    'random bytes': randomBytes(MIB).toString('latin1'),
    'real NDR text, repeated': 'Delivery has failed to these recipients: jane@contoso.com 550 5.1.1 RESOLVER.ADR.RecipNotFound; Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh\n'.repeat(MIB / 150),
  };
}

function time(f: () => unknown): number {
  const best: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    f();
    best.push(performance.now() - t);
  }
  return Math.min(...best);
}

export function run(): void {
  console.log('text safety over 1 MiB inputs (best of 5 runs each)');
  for (const [name, text] of Object.entries(inputs())) {
    const r = time(() => redact(text));
    const n = time(() => neutraliseMentions(text));
    const b = time(() => safeBlock(text, text.length));
    console.log(`  ${name.padEnd(26)} redact ${r.toFixed(1).padStart(6)} ms   neutralise ${n.toFixed(1).padStart(5)} ms   safe block ${b.toFixed(1).padStart(5)} ms`);
  }
}

if (import.meta.main) run();
