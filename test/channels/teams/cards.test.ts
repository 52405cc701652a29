// Every card the Teams channel produces, as it posts them to the Bot Connector in a real walkthrough
// (help, diagnosis, step, probe result, a question, summary, handoff), parsed by Microsoft's
// `adaptivecards` package for version 1.5 with no parse or validation events, and rendered by that
// package in headless Chromium (Debian's /usr/bin/chromium through playwright-core) to PNGs. With
// EHLO_UPDATE_DOCS=1 the PNGs are written to docs/teams/ (what Teams users see); otherwise to a
// temporary folder. The rendering test needs /usr/bin/chromium and is skipped only when it is absent.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard, MAX_CARD_BYTES, CLIP_MARKER, splitCode, cardBytes } from '../../../src/channels/teams/cards.ts';
import { reply } from '../../../src/conversation/reply.ts';
import { loadCatalog } from '../../../src/catalog/load.ts';
import { proofCard } from '../../../src/conversation/cards/proof.ts';
import { healthyDomain } from '../../conversation/dns-zone.ts';
import { corpusPaste, DNS_NDR_ID } from '../../conversation/helpers.ts';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.ts';
import { actionsOf, cardOf, cardText, invoke, message, send, startConnector, startTeams, type ConnectorCall, type FakeConnector, type TeamsApp } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
// The package's ESM build has extensionless imports Node cannot load; its UMD bundle is the same code.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

let app: TeamsApp;
let bc: FakeConnector;
let dns: DnsServer;
/** kind → the card as posted. */
const cards = new Map<string, unknown>();

beforeAll(async () => {
  bc = await startConnector();
  dns = await startDnsServer(healthyDomain('libsisimai.org'));
  app = await startTeams({ probes: { allow: ['*'], dnsServers: [dns.server] } });
  await collect();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await bc?.close();
  await dns?.close();
});

const since = (n: number) => (calls: ConnectorCall[]) => calls.slice(n);

async function settle(): Promise<void> {
  await app.rt.core.drain();
  await new Promise((r) => setTimeout(r, 30));
  await app.rt.core.drain();
}

async function press(conversationId: string, call: ConnectorCall, title: string, extra: Record<string, unknown> = {}): Promise<ConnectorCall[]> {
  const a = actionsOf(cardOf(call.body)).find((x) => x.title === title);
  if (!a) throw new Error(`no ${title} on ${cardText(call.body).slice(0, 200)}`);
  const mark = bc.calls.length;
  const res = await send(app.url, invoke({ serviceUrl: bc.url, conversationId, replyToId: call.id, verb: a.verb, data: { ...a.data, ...extra } }));
  expect(res.status).toBe(200);
  await settle();
  return since(mark)(bc.calls);
}

/** Run a walkthrough through the channel and keep one card of each kind. */
async function collect(): Promise<void> {
  const first = message({ serviceUrl: bc.url, text: '<at>ehlo</at> help', mention: true });
  await send(app.url, first);
  await settle();
  cards.set('help', cardOf(bc.calls.at(-1)!.body));

  const paste = message({ serviceUrl: bc.url, text: corpusPaste(DNS_NDR_ID), mention: true });
  const conversationId = (paste.conversation as { id: string }).id;
  const mark = bc.calls.length;
  await send(app.url, paste);
  await settle();
  const diagnosis = since(mark)(bc.calls)[0]!;
  cards.set('diagnosis', cardOf(diagnosis.body));

  const started = await press(conversationId, diagnosis, 'Start walkthrough');
  const step = started.find((c) => cardText(c.body).includes('Step 1 of'))!;
  cards.set('step', cardOf(step.body));
  const checked = await press(conversationId, step, 'Run check');
  const probe = checked.filter((c) => /dns libsisimai\.org: PASS/i.test(cardText(c.body))).at(-1);
  if (probe) cards.set('probe', cardOf(probe.body));
  // Walk on until a step that changes something (its confirmation lives in the card), then escalate.
  let current = checked.filter((c) => cardText(c.body).includes('Step ')).at(-1) ?? step;
  for (let i = 0; i < 8 && !cards.has('change step'); i++) {
    const card = cardOf(current.body) as { body: { type: string; actions?: { type: string; title?: string }[] }[] };
    // Escalate asks first on every step card; a change step's own confirmation is "I am making this change".
    if (card.body.some((e) => e.type === 'ActionSet' && e.actions?.some((a) => a.type === 'Action.ShowCard' && a.title === 'I am making this change'))) {
      cards.set('change step', card);
      break;
    }
    const next = await press(conversationId, { ...current, id: step.id }, 'Skip');
    const replaced = next.filter((c) => cardText(c.body).includes('Step ')).at(-1);
    if (!replaced) break;
    current = replaced;
  }
  // Escalating asks first (it pages people); confirmed, it posts the handoff and the walkthrough goes on; Stop ends it with the summary.
  const asked = await press(conversationId, { ...current, id: step.id }, 'Escalate');
  const confirmation = asked.find((c) => actionsOf(cardOf(c.body)).some((x) => x.title === 'Yes: Escalate and page on-call'));
  if (!confirmation) throw new Error('no escalation confirmation');
  cards.set('escalation question', cardOf(confirmation.body));
  const escalated = await press(conversationId, confirmation, 'Yes: Escalate and page on-call');
  const goingOn = escalated.filter((c) => cardText(c.body).includes('Step ')).at(-1) ?? current;
  const stopped = await press(conversationId, { ...goingOn, id: step.id }, 'Stop');
  const question = [...escalated, ...stopped].find((c) => (cardOf(c.body) as { body: { type: string }[] }).body.some((e) => e.type === 'Input.Text'));
  let end = [...escalated, ...stopped];
  // A question (what ehlo asks with an Input.Text) as the core words it.
  cards.set('question', renderCard(reply('teams:t:c', 'Which domain should the check use?', [
    { type: 'text', text: 'Which domain should the check use?' },
    { type: 'buttons', buttons: [{ id: 'cancel', label: 'Cancel', style: 'default', value: '{"k":"cancel"}' }] },
  ], { ask: { prompt: 'domain?' } })));
  // The proof of a fix no check can see, asked when a walkthrough finishes (its Yes asks once more, inside the card).
  const x500 = loadCatalog().playbookById.get('imceaex-stale-legacydn-x500')?.steps.find((x) => x.id === 'add-x500-proxy');
  if (!x500?.proof) throw new Error('no proof on imceaex-stale-legacydn-x500/add-x500-proxy');
  cards.set('proof', renderCard(proofCard('teams:t:c', 's-1', { stepId: x500.id, step: x500, proof: x500.proof })));
  if (question) {
    cards.set('question', cardOf(question.body));
    end = await press(conversationId, question, 'Send', { answer: 'Recipient DNS is not ours to fix; handing to their admins' });
  }
  for (const c of end) {
    const t = cardText(c.body);
    if (t.includes('\nOutcome: ') && !cards.has('summary')) cards.set('summary', cardOf(c.body));
    if (t.startsWith('Handoff: ') && !cards.has('handoff')) cards.set('handoff', cardOf(c.body));
  }
}

function validate(card: unknown): string[] {
  const problems: string[] = [];
  const ac = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  ac.parse(card as never, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of ac.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}

describe('Adaptive Cards of every kind', () => {
  it('has a card for each kind the channel produces', () => {
    expect([...cards.keys()].sort()).toEqual(expect.arrayContaining(['diagnosis', 'handoff', 'help', 'probe', 'proof', 'question', 'step', 'summary']));
  });

  it('parses every card with the adaptivecards package for 1.5 with no parse or validation events', () => {
    for (const [kind, card] of cards) {
      expect(card, kind).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      expect(validate(card), kind).toEqual([]);
      expect(cardBytes(card), kind).toBeLessThan(MAX_CARD_BYTES);
    }
    // The check is able to fail: an element 1.5 does not know, or an action with no title.
    expect(validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'CodeBlock', codeSnippet: 'x' }] }).length).toBeGreaterThan(0);
  });

  it('splits long code and clips long text with a marker, staying under the size budget', () => {
    const code = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n');
    const r = reply('teams:t:c', 'big', [
      { type: 'header', text: 'H'.repeat(1000) },
      { type: 'text', text: 'word '.repeat(20_000) },
      { type: 'code', text: code, label: 'Transcript' },
      { type: 'list', items: Array.from({ length: 500 }, (_, i) => `item ${i}`) },
    ]);
    const card = renderCard(r);
    const json = JSON.stringify(card);
    expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(json).toContain(CLIP_MARKER);
    expect(json).toContain('part 1 of');
    expect(validate(card)).toEqual([]);
    expect(splitCode('a\nb\nc', 3)).toEqual(['a\nb', 'c']);
  });

  it('shows pasted Markdown links as text, never as links', () => {
    const r = reply('teams:t:c', 's', [
      { type: 'text', text: 'see [your mailbox](https://evil.example/login)' },
      { type: 'fields', fields: [{ label: 'Host', value: '[mx](https://evil.example)' }] },
      { type: 'code', text: '[a](b)' },
    ]);
    const json = JSON.stringify(renderCard(r));
    expect(json).not.toContain('](');
    expect(json).toContain('your mailbox');
  });

  it.skipIf(!existsSync(CHROMIUM))('renders every card in headless Chromium to a PNG (needs /usr/bin/chromium)', async () => {
    const { chromium } = await import('playwright-core');
    const out = process.env.EHLO_UPDATE_DOCS === '1' ? new URL('../../../docs/teams/', import.meta.url).pathname : mkdtempSync(join(tmpdir(), 'ehlo-cards-'));
    mkdirSync(out, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 1 });
      await page.setContent('<!doctype html><html><body style="margin:0;background:#f5f5f5;font-family:\'Segoe UI\',sans-serif"><div id="card" style="width:520px;margin:20px;background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.2)"></div></body></html>');
      await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
      // Buttons roughly as Teams draws them (the package leaves push buttons to the host's CSS).
      await page.addStyleTag({ content: '.ac-pushButton{font:600 13px "Segoe UI",sans-serif;padding:5px 12px;border:1px solid #d1d1d1;border-radius:4px;background:#fff;color:#242424}.ac-pushButton.style-positive{background:#5b5fc7;border-color:#5b5fc7;color:#fff}.ac-pushButton.style-destructive{background:#fff;color:#c4314b;border-color:#c4314b}.ac-pushButton>div{overflow:visible!important}.ac-pushButton.expanded{background:#ebebeb}.ac-input{font:14px "Segoe UI",sans-serif;padding:4px 8px;border:1px solid #d1d1d1;border-radius:4px}' });
      for (const [kind, card] of cards) {
        const rendered = await page.evaluate((json) => {
          const lib = (globalThis as unknown as { AdaptiveCards: typeof import('adaptivecards') }).AdaptiveCards;
          const ac = new lib.AdaptiveCard();
          ac.parse(json);
          const el = ac.render();
          const doc = (globalThis as unknown as { document: { getElementById(id: string): { replaceChildren(): void; appendChild(n: unknown): void; innerText: string } } }).document;
          const host = doc.getElementById('card');
          host.replaceChildren();
          if (!el) return { ok: false, text: '' };
          host.appendChild(el);
          return { ok: true, text: host.innerText };
        }, card);
        expect(rendered.ok, kind).toBe(true);
        expect(rendered.text.length, kind).toBeGreaterThan(10);
        // A change step: open its confirmation, which lives inside the card.
        if (kind === 'change step') await page.locator('#card button', { hasText: 'I am making this change' }).first().click();
        const png = await page.locator('#card').screenshot();
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        writeFileSync(join(out, `${kind.replace(/\s+/g, '-')}.png`), png);
      }
    } finally {
      await browser.close();
      if (process.env.EHLO_UPDATE_DOCS !== '1') rmSync(out, { recursive: true, force: true });
    }
  });
});
