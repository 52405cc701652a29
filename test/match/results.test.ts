import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defaultMatcher } from '../../src/match/index.ts';
import { Matcher } from '../../src/match/matcher.ts';
import { readCompiled } from '../../src/match/compiled.ts';
import { snapshotInputs } from './snapshot-inputs.ts';

// Recorded from the matcher before the one-pass rewrite (test/match/record-snapshot.ts): every
// labelled case, every intent example, generated, spliced and hostile pastes. Any drift fails.
const recorded = gunzipSync(readFileSync(fileURLToPath(new URL('./fixtures/results-snapshot.jsonl.gz', import.meta.url))))
  .toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; result: unknown });

describe('results stay identical to the recorded snapshot', () => {
  // defaultMatcher() writes the compiled cache if it is missing; the second matcher maps it in.
  const catalog = defaultMatcher().catalog;
  const cached = new Matcher(catalog);
  // Without the catalog's key nothing is read from (or written to) the compiled cache: compiled here.
  const compiled = new Matcher({ ...catalog, key: undefined });
  const inputs = snapshotInputs(catalog);

  it('has the compiled cache to read', () => {
    expect(readCompiled(catalog.root, catalog.key as string)).toBeDefined();
  });

  it('has one recorded result per input, in the same order', () => {
    expect(recorded.length).toBeGreaterThan(1000);
    expect(inputs.map((i) => i.name)).toEqual(recorded.map((r) => r.name));
  });

  for (const [how, matcher] of [['compiled from the catalog', compiled], ['mapped from the compiled cache', cached]] as const) it(`answers every input exactly as recorded, ${how} (kind, signals, verdict, matches, why, question)`, () => {
    const drift: string[] = [];
    inputs.forEach((input, i) => {
      const now = JSON.parse(JSON.stringify(matcher.match(input.text)));
      const then = recorded[i]?.result;
      if (JSON.stringify(now) !== JSON.stringify(then)) drift.push(input.name);
    });
    if (drift.length) {
      const first = inputs.findIndex((x) => x.name === drift[0]);
      expect(JSON.parse(JSON.stringify(matcher.match(inputs[first]!.text))), `${drift.length} drifted, first ${drift[0]}`).toEqual(recorded[first]?.result);
    }
    expect(drift).toEqual([]);
  });
});
