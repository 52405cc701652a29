import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defaultMatcher } from '../../src/match/index.ts';
import { snapshotInputs } from './snapshot-inputs.ts';

// Recorded from the matcher before the one-pass rewrite (test/match/record-snapshot.ts): every
// labelled case, every intent example, generated, spliced and hostile pastes. Any drift fails.
const recorded = gunzipSync(readFileSync(fileURLToPath(new URL('./fixtures/results-snapshot.jsonl.gz', import.meta.url))))
  .toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; result: unknown });

describe('results stay identical to the recorded snapshot', () => {
  const matcher = defaultMatcher();
  const inputs = snapshotInputs(matcher.catalog);

  it('has one recorded result per input, in the same order', () => {
    expect(recorded.length).toBeGreaterThan(1000);
    expect(inputs.map((i) => i.name)).toEqual(recorded.map((r) => r.name));
  });

  it('answers every input exactly as recorded (kind, signals, verdict, matches, why, question)', () => {
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
