// The handoff packet built from real pastes (test/fixtures/: each line names its public source), the
// way an escalation builds it: the paste kept in the thread (pasteState), the walkthrough context
// (walkFromPaste), then packetCard with the packet redactor. No e-mail address, public IP, tenant,
// message id or credential from the paste survives; ordinary words do.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pasteState, toContext, walkFromPaste } from '../../src/conversation/context.ts';
import { EscalationConfig } from '../../src/escalation/config.ts';
import { packetCard } from '../../src/escalation/packet.ts';
import { PacketRedactor, unredact } from '../../src/escalation/redaction.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { replyText } from '../conversation/helpers.ts';

interface Case { id: string; text: string }

function cases(): Case[] {
  const dir = new URL('../fixtures/cases/', import.meta.url);
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => new URL(f, dir)), new URL('../fixtures/corpus-cases.jsonl', import.meta.url)];
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case));
}

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,12}/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
const TENANT = /\b([a-z0-9][a-z0-9-]{0,62})\.(?:mail\.)?onmicrosoft\.com\b/gi;
const MESSAGE_ID = /<([^<>\s@]{1,250}@[^<>\s@]{1,250})>/g;
const BEARER = /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/-]{16,}=*)/g;

function isPublicV4(ip: string): boolean {
  const [a = 0, b = 0, ...rest] = ip.split('.').map(Number);
  if ([a, b, ...rest].some((n) => n > 255)) return false;
  return !(a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224);
}

/** The domains of the addresses in a paste: an organisation configures its own under escalation.redact.domains. */
function domainsOf(text: string): string[] {
  return [...new Set([...text.matchAll(EMAIL)].map((m) => m[0].split('@')[1]!.toLowerCase()))];
}

const matcher = defaultMatcher();

function packetOf(c: Case): { text: string; redactor: PacketRedactor; excerpt: string } {
  const result = matcher.match(c.text);
  const paste = pasteState(c.text, result, new Date('2026-12-03T10:00:00Z'));
  const playbookId = result.matches[0]?.playbook ?? [...matcher.catalog.playbookById.keys()][0]!;
  const playbook = matcher.catalog.playbookById.get(playbookId)!;
  const started = startSession(playbook, { id: 's-1', threadKey: 'slack:T0:C0:1.1', actor: { id: 'U0ALICE', name: 'Alice' }, at: new Date('2026-12-03T10:00:00Z') });
  if (!started.ok) throw new Error(started.rejection.message);
  const session = { ...started.session, escalation: { at: '2026-12-03T10:05:00.000Z', by: { id: 'U0ALICE', name: 'Alice' }, reason: `see ${c.text.slice(0, 120)}` } };
  const config = EscalationConfig.parse({ redact: { domains: domainsOf(c.text), tenants: true, publicIps: true } });
  const redactor = new PacketRedactor(config.redact);
  const card = packetCard('', { session, playbook, context: toContext(walkFromPaste('s-1', paste, playbookId)), paged: [], now: new Date('2026-12-03T10:30:00Z') }, redactor);
  return { text: replyText(card), redactor, excerpt: paste.excerpt };
}

const all = cases();
const identifying = all.filter((c) => EMAIL.test(c.text) || [...c.text.matchAll(IPV4)].some((m) => isPublicV4(m[0])) || TENANT.test(c.text) || MESSAGE_ID.test(c.text) || BEARER.test(c.text));

describe('the handoff packet from real pastes', () => {
  it('has a real set of pastes with addresses, IPs, tenants, message ids or tokens in them', () => {
    expect(identifying.length).toBeGreaterThan(40);
  });

  it.each(identifying.map((c) => [c.id, c] as const))('%s: nothing identifying survives', (_id, c) => {
    const { text, excerpt } = packetOf(c);
    // Only what the kept excerpt holds can reach the packet; check every item the excerpt contains.
    for (const m of excerpt.matchAll(EMAIL)) if (!m[0].startsWith('[email]')) expect(text, `address ${m[0]}`).not.toContain(m[0]);
    for (const m of c.text.matchAll(EMAIL)) expect(text, `address ${m[0]}`).not.toContain(m[0]);
    for (const m of c.text.matchAll(IPV4)) if (isPublicV4(m[0])) expect(text, `IP ${m[0]}`).not.toMatch(new RegExp(`(?<![\\d.])${m[0].replace(/\./g, '\\.')}(?![\\d]|\\.\\d)`));
    for (const m of c.text.matchAll(TENANT)) if (m[1]!.toLowerCase() !== 'mail') expect(text, `tenant ${m[0]}`).not.toContain(m[0]);
    // A local part the source already masked (`<********@outlook.com>`, as a forum paste prints it) names no one.
    for (const m of c.text.matchAll(MESSAGE_ID)) if (!m[1]!.includes('[redacted]') && !/^\*+@/.test(m[1]!)) expect(text, `message id ${m[1]}`).not.toContain(m[1]!);
    for (const m of c.text.matchAll(BEARER)) expect(text, `credential ${m[1]}`).not.toContain(m[1]!);
    expect(text).not.toMatch(/<!(?:channel|here|everyone)>|<@U/);
  });

  it('keeps ordinary words: "basic authentication is disabled" stays, in the paste and in the evidence', () => {
    const c = all.find((x) => x.id === 'snd-smtp-535-5-7-139-basic-authentication-disabled-1');
    expect(c).toBeDefined();
    const { text } = packetOf(c!);
    expect(text).toMatch(/basic authentication is disabled/i);
    expect(text).not.toMatch(/basic \[token\]/i);
    const r = new PacketRedactor(EscalationConfig.parse({ redact: { domains: ['contoso.com'], tenants: true, publicIps: true } }).redact);
    const prose = 'Basic authentication is disabled for this tenant. NTLM authentication failed at 08:11:10 on Exchange 15.2.1118.7 with 5.7.139; see the Negotiate protocol settings.';
    expect(r.scrub(prose)).toBe(prose);
    expect(r.entries).toEqual([]);
  });

  it('numbers what it replaced and keeps the map, so the origin thread can read the values back', () => {
    const r = new PacketRedactor({ domains: ['contoso.com'], tenants: true, publicIps: true });
    const line = 'mail.contoso.com [203.0.113.9] relays for contoso.mail.onmicrosoft.com (Message-ID <BN0PR01MB1234@BN0PR01MB1234.namprd01.prod.outlook.com>), again 203.0.113.9; internal 10.1.2.3 and 2603:10a6:20b:1c::16';
    const out = r.scrub(line);
    expect(out).toBe('mail.[domain-1] [[ip-1]] relays for [tenant-1].mail.onmicrosoft.com (Message-ID <[message-id-1]>), again [ip-1]; internal 10.1.2.3 and [ip-2]');
    expect(unredact(out, r.entries)).toBe(line);
    // A second redactor given the stored map goes on with the same numbers.
    const again = new PacketRedactor({ domains: ['contoso.com'], tenants: true, publicIps: true }, r.entries);
    expect(again.scrub('contoso.com and 198.51.100.7')).toBe('[domain-1] and [ip-3]');
  });

  it('takes a message id cut off at the end of the text (a reason typed from a paste\'s first line)', () => {
    const r = new PacketRedactor({ domains: [], tenants: true, publicIps: true });
    expect(r.scrub('see ---- permanent fatal errors ---- <*****@hanmail.net')).toBe('see ---- permanent fatal errors ---- <[message-id-1]>');
    // Inside the text, an unclosed one is no message id, but its local part still names someone.
    expect(r.scrub('a <b@c d')).toBe('a <[email]@c d');
  });

  it('takes the local part of an address whose domain has no usual shape (real bounces: "a@b.c", "recipient@#example.net")', () => {
    const r = new PacketRedactor({ domains: [], tenants: false, publicIps: false });
    expect(r.scrub('Final-Recipient: rfc822; a@b.c')).toBe('Final-Recipient: rfc822; [email]@b.c');
    expect(r.scrub('Final-Recipient: RFC822; recipient@#example.net')).toBe('Final-Recipient: RFC822; [email]@#example.net');
    expect(r.scrub('to bob@contoso.com, npm @scope/pkg, a @ b')).toBe('to [email]@contoso.com, npm @scope/pkg, a @ b');
  });

  it('is linear on hostile input', () => {
    const r = new PacketRedactor({ domains: ['contoso.com'], tenants: true, publicIps: true });
    const hostile = `${'1.'.repeat(50_000)} ${'a:'.repeat(50_000)} ${'<x'.repeat(30_000)}@ ${'contoso.'.repeat(20_000)}`;
    const started = performance.now();
    r.scrub(hostile);
    // Generous: a quadratic pattern takes minutes here.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
