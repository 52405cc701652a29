// The inputs of the results snapshot (fixtures/results-snapshot.jsonl.gz): every labelled case, every
// intent example, and a fixed set of generated and hostile pastes. The snapshot holds what the
// matcher answered for each before the one-pass rewrite; results.test.ts asserts it still does.
import { fileURLToPath } from 'node:url';
import { readFixtureCases } from '../../src/match/evaluate.ts';
import type { Catalog } from '../../src/catalog/load.ts';
import { rng } from '../helpers/rng.ts';

export interface SnapshotInput {
  name: string;
  text: string;
}

const PIECES = ['550', ' ', '5.1.1', '.', '4.4.7', '[Agent:', ']', 'STOREDRV.', 'Deliver', '@', 'contoso.com', '::', '0x', '8004010F', '#', ';', '\n', 'Event ID:', '1035', 'KB', '(401)', 'Unauthorized', 'IMCEAEX-', '/o=', '451', '4.7.0', 'Temporary', 'server', 'error', 'mailbox', 'full', 'quota', 'exceeded', 'relay', 'access', 'denied', 'TLS', 'STARTTLS', 'certificate', 'outlook', 'autodiscover', 'password', 'İ', 'ß', 'Ⅻ', 'é', 'Delivery has failed to these recipients', 'LastError', 'Get-Queue', 'RESOLVER.ADR.ExRecipNotFound', 'MapiExceptionShutoffQuotaExceeded', 'SMTPSEND.DNS.NonExistentDomain', 'DNS query failed', 'spam', 'blocked', 'spf', 'dkim', 'dmarc', 'S: 220 mx', 'C: EHLO x', '\r\n', '\t', 'Received: from', 'Message-ID:', 'Authentication-Results:', '+ CategoryInfo', 'Microsoft Outlook', 'cannot', 'connect', 'quarantine', 'hybrid', 'connector', 'rules', 'agent', 'transient', 'failure'];

function generated(seed: number, count: number): SnapshotInput[] {
  const r = rng(seed);
  const out: SnapshotInput[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(r() * 120);
    let s = '';
    for (let j = 0; j < n; j++) s += PIECES[Math.floor(r() * PIECES.length)] as string;
    out.push({ name: `generated-${seed}-${i}`, text: s });
  }
  return out;
}

/** Two cases glued together and cut at odd places: evidence split across the cut, mixed kinds. */
function spliced(texts: string[], seed: number, count: number): SnapshotInput[] {
  const r = rng(seed);
  const out: SnapshotInput[] = [];
  for (let i = 0; i < count; i++) {
    const a = texts[Math.floor(r() * texts.length)] as string;
    const b = texts[Math.floor(r() * texts.length)] as string;
    out.push({ name: `spliced-${seed}-${i}`, text: `${a.slice(0, Math.floor(r() * a.length))}\n${b.slice(Math.floor(r() * b.length))}` });
  }
  return out;
}

const FIXED: SnapshotInput[] = [
  { name: 'empty', text: '' },
  { name: 'spaces', text: '   \n\t ' },
  { name: 'oof', text: '432 4.2.0 STOREDRV.Deliver; Agent transient failure during message resubmission [Agent: Mailbox Rules Agent]' },
  { name: 'lunch', text: 'lol thanks, see you at lunch' },
  { name: 'ok', text: '250 2.0.0 OK' },
  { name: 'gsmtp', text: '220 mx.google.com ESMTP a1si123456qkb.12 - gsmtp' },
  { name: 'java', text: 'Exception in thread "main" java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)' },
  { name: 'npm', text: 'npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree' },
  { name: 'k8s', text: 'Back-off restarting failed container web in pod web-5d9c7b6f4-abcde_default' },
  { name: 'starttls', text: '451 5.7.3 STARTTLS is required to send mail' },
  { name: 'dotted-i', text: 'İİİ 550 5.1.1 RECİPİENT NOT FOUND İstanbul RESOLVER.ADR.ExRecipNotFound' },
  { name: 'digits', text: '1.'.repeat(512 * 1024) },
  { name: 'fives', text: '5.5.5.5'.repeat(150_000) },
  { name: 'big-ndr', text: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found '.repeat(22_000).slice(0, 1024 * 1024) },
  { name: 'truncated', text: `550 5.1.1 RESOLVER.ADR.RecipNotFound; not found\n${'x'.repeat(5 * 1024 * 1024)}` },
  { name: 'binary', text: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1') },
  { name: 'mentions', text: '<!channel> <!here> <@U123ABC> '.repeat(2000) },
  { name: 'surrogates', text: '😀 550 5.7.1 😀 relay access denied 𝔘𝔫𝔡𝔢𝔩𝔦𝔳𝔢𝔯𝔞𝔟𝔩𝔢 \ud800 lone' },
  { name: 'long-words', text: `${'a'.repeat(5000)} mailbox ${'b'.repeat(50)} quota exceeded` },
];

export function snapshotInputs(catalog: Catalog): SnapshotInput[] {
  const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
  const cases = readFixtureCases(fixtures).map((c, i) => ({ name: `case-${i}-${c.id}`, text: c.text }));
  const examples = catalog.intents.flatMap((intent) => intent.examples.map((e, i) => ({ name: `example-${intent.id}-${i}`, text: e.text })));
  const texts = [...cases, ...examples].map((c) => c.text);
  return [...FIXED, ...cases, ...examples, ...generated(16, 300), ...spliced(texts, 8, 200)];
}
