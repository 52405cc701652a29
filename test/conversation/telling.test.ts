// The telling-apart question in a thread: the soft-deleted mail user seed NDR gets the ambiguous card
// with the question of questions/imceaex-or-soft-deleted-mail-user.yaml and one button per answer;
// pressing an answer settles the thread's paste on that playbook, and its walkthrough starts from it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/conversation/actions.ts';
import { createStore } from '../../src/store/create.ts';
import type { Store } from '../../src/store/store.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { harness, type Harness } from './helpers.ts';

const NDR = (JSON.parse(readFileSync(new URL('../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes('"seed002-ndr-exrecipnotfound-soft-deleted"')) as string) as { text: string }).text;

let dir: string;
let store: Store;
let h: Harness;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-telling-'));
  store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  h = harness(store, testConfig({ allow: ['127.0.0.0/8'] }));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('answering the telling-apart question in a thread', () => {
  it('asks the written question with its answers as buttons, and the answer settles the diagnosis', async () => {
    await h.say(NDR);
    const card = h.sink.freshText();
    expect(card).toMatch(/Two playbooks fit almost equally/);
    expect(card).toMatch(/Was the recipient's user account deleted/);
    expect(card).toMatch(/How to find out: Ask whoever manages the account/);
    await h.press(h.sink.button('Yes, the account was deleted or left sync scope'));
    const settled = h.sink.freshText();
    expect(settled).toMatch(/Diagnosis: 550 5\.1\.1 RESOLVER\.ADR\.ExRecipNotFound to the external address of a deleted, synced mail user/);
    expect(settled).toMatch(/Settled by your answer: Yes, the account was deleted/);
    const start = h.sink.button('Start walkthrough');
    // The thread's paste is re-ranked: the other of the pair now comes last among the other matches.
    await h.press(h.sink.button('Other matches'));
    const others = h.sink.freshText().split('\n').filter((l) => /^\d+\. /.test(l));
    // (or off the list, when the rest of the catalog has three other readings of the NDR above it).
    const imceaex = others.findIndex((l) => /IMCEAEX NDR/.test(l));
    expect(others.length).toBeGreaterThan(0);
    expect(imceaex === -1 || imceaex === others.length - 1, others.join('\n')).toBe(true);
    await h.press(start);
    expect(h.sink.freshText()).toMatch(/Step 1 of \d+/);
    const found = await h.walkthroughs.get({ threadKey: h.thread });
    expect(found.kind === 'found' && found.session.playbookId).toBe('exrecipnotfound-soft-deleted-mail-user');
  });

  it('the other answer settles on the IMCEAEX playbook; "I don\'t know" says how to find out and changes nothing', async () => {
    await h.say(NDR);
    h.sink.fresh();
    await h.press(h.sink.button("I don't know"));
    expect(h.sink.freshText()).toMatch(/Get-MsolUser -ReturnDeletedUsers/);
    expect(h.sink.buttons().map((b) => b.label)).toContain('No, the mailbox was moved, migrated or recreated');
    await h.press(h.sink.button('No, the mailbox was moved, migrated or recreated'));
    expect(h.sink.freshText()).toMatch(/Diagnosis: IMCEAEX NDR/);
  });

  it('refuses an answer to a question of an earlier paste', async () => {
    await h.say(NDR);
    await h.say('550 5.7.1 Unable to relay');
    h.sink.fresh();
    await h.send({ type: 'press', value: encodeAction({ k: 'settle', q: 'imceaex-or-soft-deleted-mail-user', a: 0 }) });
    expect(h.sink.freshText()).toMatch(/belongs to an earlier paste/);
  });
});

describe('a version stated earlier in the thread', () => {
  it('counts for a later paste that states none, and the card says where it came from', async () => {
    await h.say('FYI we are on Exchange Online');
    h.sink.fresh();
    await h.say('Outlook keeps prompting for credentials all day long');
    const card = h.sink.freshText().replace(/\s+/g, ' ');
    expect(card).toMatch(/Diagnosis: Outlook keeps asking for a password/);
    expect(card).toMatch(/Does not apply to Exchange Online \(the version stated earlier in this thread\)/);
  });
  it('is not carried into another thread', async () => {
    await h.say('FYI we are on Exchange Online');
    const other = harness(store, testConfig({ allow: ['127.0.0.0/8'] }), 'test:C1:1700000000.000200');
    await other.say('Outlook keeps prompting for credentials all day long');
    expect(other.sink.freshText()).not.toMatch(/Does not apply/);
  });
});
