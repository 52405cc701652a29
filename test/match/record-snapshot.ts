// Records fixtures/results-snapshot.jsonl.gz (gzip of one {name, result} per line): `node test/match/record-snapshot.ts`. Only re-record when a
// change of results is intended (a catalog edit, a scoring change), and say so in the commit.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../src/catalog/load.ts';
import { Matcher } from '../../src/match/matcher.ts';
import { snapshotInputs } from './snapshot-inputs.ts';

const matcher = new Matcher(loadCatalog());
const lines = snapshotInputs(matcher.catalog).map((input) => JSON.stringify({ name: input.name, result: matcher.match(input.text) }));
writeFileSync(fileURLToPath(new URL('./fixtures/results-snapshot.jsonl.gz', import.meta.url)), gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
console.log(`recorded ${lines.length} results`);
