// The conversation core end to end on a real SQLite store, with checks against a DNS server and an
// SMTP server on 127.0.0.1: pastes become diagnosis cards, buttons walk a playbook exactly once,
// checks fill their targets from the paste (or ask), and the walkthrough ends in a summary or a handoff.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChainVerifier } from '../../src/audit/chain.ts';
import { AuditLog } from '../../src/audit/log.ts';
import { toContext } from '../../src/conversation/context.ts';
import { encodeAction } from '../../src/conversation/actions.ts';
import { createStore } from '../../src/store/create.ts';
import type { Store } from '../../src/store/store.ts';
import type { Session } from '../../src/walkthrough/session.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.ts';
import { testConfig } from '../helpers/probe-config.ts';
import { startSmtp, type Listening } from '../helpers/smtp.ts';
import { healthyDomain } from './dns-zone.ts';
import { alice, bob, corpusPaste, DNS_NDR_ID, harness, replyText, type Harness } from './helpers.ts';

let dns: DnsServer;
let dir: string;
let store: Store;
let h: Harness;

beforeAll(async () => {
  dns = await startDnsServer(healthyDomain('libsisimai.org'));
});
afterAll(() => dns.close());

const config = () => testConfig({ dnsServers: [dns.server], allow: ['*', '127.0.0.0/8'] });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ehlo-core-'));
  store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
  h = harness(store, config());
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function session(): Promise<Session> {
  const found = await h.walkthroughs.get({ threadKey: h.thread });
  if (found.kind !== 'found') throw new Error(found.message);
  return found.session;
}

async function startDnsWalkthrough(): Promise<void> {
  await h.say(corpusPaste(DNS_NDR_ID));
  await h.press(h.sink.button('Start walkthrough'));
}

describe('a paste', () => {
  it('answers with the diagnosis card: top match, evidence shown from the paste, confidence, runner-up, buttons', async () => {
    await h.say(corpusPaste(DNS_NDR_ID));
    const [card] = h.sink.fresh();
    const text = replyText(card!);
    expect(text).toMatch(/^Diagnosis: DNS lookup for the destination failed/);
    expect(text).toContain('Confidence: high');
    expect(text).toContain('status code 5.4.312 — “5.4.312”');
    expect(text).toContain('“querying the Domain Name System”');
    expect(text).toMatch(/Runner-up: Message expired in the queue/);
    expect(text).toContain('domain libsisimai.org (from the paste)');
    expect(h.sink.buttons().map((b) => b.label)).toEqual(['Start walkthrough', 'Other matches', 'Not this']);
  });

  it('shows pasted text back neutralised: mentions lose their power, terminal escapes vanish', async () => {
    await h.say('<!channel> <@U0123|boss> our queue says 451 4.4.0 DNS query failed \u001b[2J\u001b]0;pwned\u0007 for <!subteam^S1|@oncall>');
    const text = h.sink.freshText();
    expect(text).not.toMatch(/<!channel>|<@U0123|<!subteam/);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('with two close candidates asks the question that tells them apart, with a start button for each', async () => {
    await h.say(corpusPaste('doc-4101-proxy-starttls-required'));
    const text = h.sink.freshText();
    expect(text).toMatch(/^Two playbooks fit almost equally/);
    // The pair has a question written for it (questions/forced-tls-or-deferred-not-resubmitted.yaml): asked, with its answers as buttons.
    expect(text).toMatch(/Is new mail flowing again between Exchange Online and your on-premises servers/);
    expect(h.sink.buttons().map((b) => b.label)).toContain('Yes, only the earlier messages are missing');
    expect(h.sink.buttons().filter((b) => b.label.startsWith('Start')).length).toBe(2);
  });

  it('with no match says so and offers the catalog; the catalog search starts a playbook', async () => {
    await h.say('hello, is anyone there?');
    expect(h.sink.freshText()).toMatch(/^No playbook matches this paste/);
    await h.press(h.sink.button('Browse playbooks'));
    expect(h.sink.freshText()).toMatch(/The catalog: \d+ playbooks/);
    await h.say('playbooks starttls');
    const text = h.sink.freshText();
    expect(text).toMatch(/Playbooks for “starttls”/);
    await h.press(h.sink.button(/^Start 1:/));
    expect(h.sink.freshText()).toMatch(/Step 1 of \d+/);
  });

  it('"other matches" and "not this" show the rest of the ranking', async () => {
    await h.say(corpusPaste(DNS_NDR_ID));
    h.sink.fresh();
    const notThis = h.sink.button('Not this');
    await h.press(h.sink.button('Other matches'));
    expect(h.sink.freshText()).toMatch(/Other matches[\s\S]*1\. Message expired in the queue/);
    await h.press(notThis);
    const text = h.sink.freshText();
    expect(text).toMatch(/Noted: not “DNS lookup for the destination failed/);
    expect(text).not.toMatch(/\d\. DNS lookup for the destination failed/);
  });
});

describe('a message header paste', () => {
  it('gets the header card (hops, verdicts, findings) and a walkthrough of the playbook the headers lead to', async () => {
    const text = readFileSync(new URL('../fixtures/headers/pp-sample-1013.txt', import.meta.url), 'utf8');
    await h.say(text);
    const [card] = h.sink.fresh();
    expect(card?.kind).toBe('diagnosis');
    expect(card?.meta).toMatchObject({ playbook: 'eop-inbound-spam-junked', verdict: 'match' });
    const shown = replyText(card!);
    expect(shown).toMatch(/^Headers: /);
    expect(shown).toMatch(/SFV|SCL/);
    await h.press(h.sink.button('Start walkthrough'));
    expect(h.sink.freshText()).toMatch(/started the walkthrough[\s\S]*Step 1 of/);
  });

  it('offers the checks the headers suggest as buttons, run through the probe policy like any probe', async () => {
    const strict = harness(store, testConfig(), 'test:C1:strict');
    await strict.say(readFileSync(new URL('../fixtures/headers/pp-sample-1013.txt', import.meta.url), 'utf8'));
    const check = strict.sink.button(/^Check dnsbl 202\.129\.206\.234$/);
    expect(strict.sink.buttons().map((b) => b.label)).toEqual(expect.arrayContaining(['Check ptr 202.129.206.234', 'Check dns suksapan.or.th']));
    await strict.press(check);
    const refused = strict.sink.updated.at(-1);
    expect(refused && replyText(refused)).toMatch(/dnsbl 202\.129\.206\.234: REFUSED/);
  });
});

describe('a message ehlo was not addressed in (ambient)', () => {
  it('answers a matching paste, and leaves chatter, commands and the thread state alone', async () => {
    await h.send({ type: 'message', text: corpusPaste(DNS_NDR_ID), ambient: true });
    expect(h.sink.freshText()).toMatch(/^Diagnosis: DNS lookup for the destination failed/);
    const before = await store.getThread(h.thread);
    await h.press(h.sink.button('Start walkthrough'));
    h.sink.fresh();
    const during = await session();
    for (const text of ['lol thanks, see you at lunch', 'done', 'stop', 'status', 'help']) await h.send({ type: 'message', text, ambient: true });
    expect(h.sink.freshText()).toBe('');
    const after = await session();
    expect(after.version).toBe(during.version);
    expect((await store.getThread(h.thread))?.paste).toEqual(before?.paste);
  });
});

describe('a walkthrough', () => {
  it('starts from the diagnosis, one step at a time, with the check target taken from the paste', async () => {
    await startDnsWalkthrough();
    const text = h.sink.freshText();
    expect(text).toMatch(/Alice started the walkthrough of “DNS lookup for the destination failed” \(6 steps\)/);
    expect(text).toMatch(/Step 1 of 6: Look up the recipient domain's MX records from outside/);
    // The command shows the recipient domain from the paste, not the sample, and says so.
    expect(text).toContain('Resolve-DnsName -Name libsisimai.org -Type MX -Server 1.1.1.1');
    expect(text).toContain('Filled in: libsisimai.org (from the paste, for <recipient domain>).');
    expect(text).toContain('Healthy: MX records exist');
    expect(text).toContain('Read-only: this step changes nothing.');
    expect(text).toContain('Check: dns libsisimai.org (domain from the paste)');
    expect(h.sink.buttons().map((b) => b.label)).toEqual(['Done', 'Failed', 'Skip', 'Run check', 'Escalate', 'Stop']);
    const ctx = toContext((await store.getThread(h.thread))?.walk);
    expect(ctx.targets.domain).toBe('libsisimai.org');
    expect(ctx.diagnosis?.playbook).toBe('dns-lookup-failed-next-hop');
    expect(ctx.paste?.excerpt).toContain('[email]@libsisimai.org');
  });

  it('applies the same button pressed twice exactly once, and says so the second time', async () => {
    await startDnsWalkthrough();
    const done = h.sink.button('Done');
    await h.press(done);
    await h.press(done);
    const text = h.sink.freshText();
    expect(text).toMatch(/Already done — this press was applied before/);
    const s = await session();
    expect(s.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    expect(s.cursor).toBe('check-server-resolution');
  });

  it('applies a press made by two people at the same moment exactly once', async () => {
    await startDnsWalkthrough();
    const done = h.sink.button('Done');
    await Promise.all([h.press(done, alice), h.press(done, bob)]);
    const s = await session();
    expect(s.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    expect(s.path).toEqual(['check-recipient-domain', 'check-server-resolution']);
  });

  it('refuses a press on a step the walkthrough has left, saying who moved it', async () => {
    await startDnsWalkthrough();
    const oldDone = h.sink.button('Done');
    await h.press(h.sink.button('Skip'), bob);
    h.sink.fresh();
    await h.press(oldDone);
    const text = h.sink.freshText();
    expect(text).toMatch(/Step "check-recipient-domain" was already skipped by Bob at \d\d:\d\d UTC/);
    expect((await session()).steps['check-recipient-domain']?.status).toBe('skipped');
  });

  it('asks for confirmation on a step that changes something, then records who confirmed', async () => {
    await startDnsWalkthrough();
    for (let i = 0; i < 3; i++) await h.press(h.sink.button('Done'));
    expect(h.sink.freshText()).toMatch(/Step 4 of 6: Fix the DNS path for the server[\s\S]*Changes something \(medium risk\)/);
    expect(h.sink.buttons()[0]?.label).toBe('I am making this change');
    expect(h.sink.buttons()[0]?.confirm?.text).toMatch(/medium risk/);
    await h.say('done');
    expect(h.sink.freshText()).toMatch(/changes something .*Confirm before marking it done/);
    await h.press(h.sink.button('I am making this change'));
    expect(h.sink.freshText()).toMatch(/Alice confirmed the change[\s\S]*Confirmed by Alice/);
  });

  it('runs the step check against the paste\'s domain: running, then the result; a pass marks the step done as the playbook says', async () => {
    await startDnsWalkthrough();
    h.sink.fresh();
    await h.press(h.sink.button('Run check'));
    const posted = h.sink.fresh();
    expect(replyText(posted[0]!)).toMatch(/Running dns check on libsisimai\.org…/);
    const result = h.sink.updated.at(-1)!;
    expect(result.id).toBe(posted[0]!.id);
    expect(replyText(result)).toMatch(/dns libsisimai\.org: PASS/);
    const text = posted.slice(1).map(replyText).join('\n');
    expect(text).toMatch(/The check passed, so “Look up the recipient domain's MX records from outside” is marked done/);
    expect(text).toMatch(/Step 2 of 6/);
    const s = await session();
    expect(s.evidence).toHaveLength(1);
    expect(s.evidence[0]).toMatchObject({ stepId: 'check-recipient-domain', effect: 'done', report: { probe: 'dns', target: 'libsisimai.org', status: 'pass' } });
    expect(s.steps['check-recipient-domain']).toMatchObject({ status: 'done', via: 'probe' });
  });

  it('records nothing when the probe policy refuses the target, and says how to allow it', async () => {
    await store.close();
    store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
    h = harness(store, testConfig({ dnsServers: [dns.server], allow: [] }));
    await startDnsWalkthrough();
    h.sink.fresh();
    await h.press(h.sink.button('Run check'));
    expect(replyText(h.sink.updated.at(-1)!)).toMatch(/dns libsisimai\.org: REFUSED[\s\S]*not in the probe allowlist/);
    expect(h.sink.freshText()).toMatch(/Nothing was checked: the probe policy refused that target/);
    expect((await session()).evidence).toEqual([]);
  });

  it('follows the playbook\'s branch when the check fails', async () => {
    await h.say(corpusPaste('soe-hotmail-554-domain-not-reachable'));
    await h.press(h.sink.button('Start walkthrough'));
    h.sink.fresh();
    await h.say('check');
    const text = h.sink.freshText();
    expect(text).toMatch(/The check failed, so “Look up the recipient domain's MX records from outside” is marked failed/);
    expect(text).toMatch(/Step 6 of 6: If the recipient's DNS is broken, tell them/);
    expect((await session()).cursor).toBe('tell-recipient');
  });

  it('asks for a target the paste did not name, takes the plain-text answer, keeps it, and runs the check', async () => {
    const smtp: Listening = await startSmtp({ name: 'mx.fabrikam.test' });
    try {
      await h.say('451 5.7.3 STARTTLS is required to send mail');
      await h.press(h.sink.button('Start walkthrough'));
      while (!h.sink.buttons().some((b) => b.label === 'Run check')) await h.press(h.sink.button('Skip'));
      h.sink.fresh();
      await h.press(h.sink.button('Run check'));
      const asked = h.sink.fresh();
      expect(asked.at(-1)?.ask).toBeDefined();
      expect(replyText(asked.at(-1)!)).toMatch(/needs the mail server host name or IP address to check/);
      await h.say('not a host name!');
      expect(h.sink.freshText()).toMatch(/does not look like the mail server host name/);
      await h.say(`127.0.0.1:${smtp.port}`);
      const text = h.sink.freshText();
      expect(text).toContain(`Using host 127.0.0.1:${smtp.port}`);
      expect(text).toMatch(new RegExp(`Running smtp check on 127\\.0\\.0\\.1:${smtp.port}`));
      const s = await session();
      expect(s.evidence.at(-1)?.report.target).toBe(`127.0.0.1:${smtp.port}`);
      const ctx = toContext((await store.getThread(h.thread))?.walk);
      expect(ctx.targets.host).toBe(`127.0.0.1:${smtp.port}`);
      expect(ctx.answered.has('host')).toBe(true);
    } finally {
      await smtp.close();
    }
  });

  it('finishes with a summary: what was found, what was done, by whom, how long', async () => {
    await startDnsWalkthrough();
    await h.press(h.sink.button('Run check'));
    await h.press(h.sink.button('Done'), bob);
    await h.press(h.sink.button('Done'));
    await h.press(h.sink.button('I am making this change'));
    await h.press(h.sink.button('Done'));
    await h.press(h.sink.button('I am making this change'), bob);
    h.sink.fresh();
    await h.press(h.sink.button('Done'), bob);
    const text = h.sink.freshText();
    expect(text).toMatch(/The walkthrough is finished/);
    expect(text).toMatch(/Walkthrough finished: DNS lookup for the destination failed/);
    expect(text).toMatch(/Outcome: resolved/);
    expect(text).toMatch(/Took: \d+ s/);
    expect(text).toMatch(/People: Alice, Bob/);
    expect(text).toMatch(/What was found\n✓ Look up the recipient domain's MX records from outside: MX records exist and their host names resolve\. \(dns check pass\) — Alice \(by check\)/);
    expect(text).toMatch(/What was done\n✓ Fix the DNS path for the server: Changes which DNS servers/);
    expect(text).toMatch(/Checks\ndns libsisimai\.org: pass → step done — Alice/);
    expect(text).not.toContain('ehlo-context');
    expect((await session()).status).toBe('finished');
  });

  it('escalates with a handoff packet: the paste redacted, the diagnosis, what was tried and by whom, the probe evidence', async () => {
    const paste = `${corpusPaste(DNS_NDR_ID)}\nReported by jane.doe@contoso.com <!channel> Authorization: Bearer abcdefghijklmnop1234`;
    await h.say(paste);
    await h.press(h.sink.button('Start walkthrough'));
    await h.press(h.sink.button('Run check'));
    await h.say('note asked @here, bob@contoso.com says DNS is fine');
    h.sink.fresh();
    await h.say('escalate the recipient insists their MX is fine');
    // Escalation asks first (it would page people) and says who: here, nobody is configured.
    expect(h.sink.freshText()).toMatch(/Escalate to on-call\?[\s\S]*No on-call channel or pager is configured/);
    await h.press(h.sink.button('Escalate and page on-call'));
    const all = h.sink.freshText();
    expect(all).toMatch(/Alice escalated the walkthrough: the recipient insists their MX is fine/);
    // The walkthrough goes on, marked escalated.
    expect(all).toMatch(/No on-call channel is configured[\s\S]*Step 2 of 6/);
    expect(all).toMatch(/Escalated to on-call by Alice/);
    expect((await session()).status).toBe('active');
    const text = all.slice(all.indexOf('Handoff:'));
    expect(text).toMatch(/^Handoff: DNS lookup for the destination failed/);
    expect(text).toMatch(/Reason: the recipient insists their MX is fine/);
    expect(text).toMatch(/What was pasted \(ndr, [\d,]+ characters; e-mail addresses and tokens redacted\)/);
    expect(text).toContain('[email]@libsisimai.org');
    expect(text).toContain('[email]@contoso.com');
    expect(text).not.toMatch(/jane\.doe@|neko@|bob@contoso/);
    expect(text).not.toContain('abcdefghijklmnop1234');
    expect(text).not.toMatch(/<!channel>/);
    expect(text).toMatch(/Diagnosis: DNS lookup for the destination failed[^\n]*high/);
    expect(text).toMatch(/What was tried\n✓ Look up the recipient domain's MX records from outside[^\n]*Alice \(by check\)/);
    expect(text).toMatch(/Probe evidence\ndns libsisimai\.org: pass → step done — Alice/);
    expect(text).toMatch(/Notes\nAlice: asked \[@here\], \[email\]@contoso\.com says DNS is fine/);
  });

  it('resumes after a restart: a new core on the same store shows the open step with the targets it kept', async () => {
    await startDnsWalkthrough();
    await h.press(h.sink.button('Skip'));
    await store.close();
    store = createStore({ sqlitePath: join(dir, 'ehlo.sqlite') });
    h = harness(store, config());
    await h.send({ type: 'open' });
    const text = h.sink.freshText();
    expect(text).toMatch(/Resuming the walkthrough of “DNS lookup for the destination failed/);
    expect(text).toMatch(/step 2 of 6/);
    await h.press(h.sink.button('Back'));
    expect(h.sink.freshText()).toContain('Check: dns libsisimai.org (domain from the paste)');
  });

  it('typed commands act on the thread\'s walkthrough; a command-looking paste without one is matched instead', async () => {
    await h.say('failed to connect: 451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain');
    expect(h.sink.freshText()).toMatch(/^Diagnosis: DNS lookup for the destination failed/);
    await h.say('start dns-lookup-failed-next-hop');
    await h.say('failed the public resolver says NXDOMAIN');
    expect(h.sink.freshText()).toMatch(/marked failed by Alice: the public resolver says NXDOMAIN[\s\S]*Step 6 of 6/);
    await h.say('status');
    expect(h.sink.freshText()).toMatch(/1 step\(s\) settled so far[\s\S]*Step 6 of 6/);
    await h.say('stop');
    expect(h.sink.freshText()).toMatch(/Walkthrough stopped/);
  });

  it('applies a typed command redelivered by the platform (same event id) once, and answers it once', async () => {
    await startDnsWalkthrough();
    await h.send({ type: 'message', text: 'done', id: 'Ev0001' });
    expect(h.sink.freshText()).toMatch(/marked done/);
    await h.send({ type: 'message', text: 'done', id: 'Ev0001' });
    expect(h.sink.freshText()).toBe('');
    expect((await session()).timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    await h.send({ type: 'command', name: 'done', args: '', id: 'Ev0002' });
    expect((await session()).timeline.filter((e) => e.action === 'done')).toHaveLength(2);
  });

  it('answers help, match <text> and a megabyte of junk without trouble', async () => {
    await h.say('help');
    expect(h.sink.freshText()).toMatch(/ehlo: paste an error, or use a command[\s\S]*probe <kind> <target>/);
    await h.say('match 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found');
    expect(h.sink.freshText()).toMatch(/^Diagnosis: /);
    await h.say(`${'\u0000<!channel>'.repeat(100_000)}${'x'.repeat(1_100_000)}`);
    const text = h.sink.freshText();
    expect(text).toMatch(/^No playbook matches this paste|characters were analysed/);
    expect(text).not.toContain('<!channel>');
  });

  it('answers a button it does not know, or from another version, without acting', async () => {
    await h.send({ type: 'press', value: '{"k":"step","s":"x","t":"y","v":0,"c":"done"}' });
    await h.send({ type: 'press', value: 'not json at all' });
    expect(h.sink.freshText()).toMatch(/not one ehlo understands[\s\S]*not one ehlo understands/);
    await h.send({ type: 'press', value: encodeAction({ k: 'step', s: 'no-such-session', t: 'a', v: 1, c: 'done' }) });
    expect(h.sink.freshText()).toMatch(/There is no walkthrough with id "no-such-session"/);
  });
});

describe('with the store unreachable', () => {
  it('says so clearly, keeps matching, and never throws or hangs', async () => {
    const down = createStore({ databaseUrl: 'postgres://ehlo@127.0.0.1:1/ehlo' });
    const hd = harness(down, config());
    try {
      await hd.say(corpusPaste(DNS_NDR_ID));
      expect(hd.sink.freshText()).toMatch(/^Diagnosis: DNS lookup/);
      await hd.press(hd.sink.button('Start walkthrough'));
      expect(hd.sink.freshText()).toMatch(/The walkthrough store \(PostgreSQL 127\.0\.0\.1:1\/ehlo\) is unavailable[\s\S]*matching and probes still work/);
      await hd.say('status');
      expect(hd.sink.freshText()).toMatch(/is unavailable/);
      await hd.send({ type: 'open' });
      expect(hd.sink.freshText()).toMatch(/is unavailable/);
      await hd.say('probe dns libsisimai.org');
      expect(hd.sink.updated.at(-1) && replyText(hd.sink.updated.at(-1)!)).toMatch(/dns libsisimai\.org: PASS/);
    } finally {
      await down.close();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('on PostgreSQL', () => {
  it('applies a press made by two people at the same moment exactly once', async () => {
    const schema = `ehlo_conv_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const pgStore = createStore({ databaseUrl: process.env.DATABASE_URL, schema });
    const hp = harness(pgStore, config());
    try {
      await hp.say(corpusPaste(DNS_NDR_ID));
      await hp.press(hp.sink.button('Start walkthrough'));
      const done = hp.sink.button('Done');
      await Promise.all([hp.press(done, alice), hp.press(done, bob), hp.press(done, alice)]);
      const found = await hp.walkthroughs.get({ threadKey: hp.thread });
      if (found.kind !== 'found') throw new Error(found.message);
      expect(found.session.timeline.filter((e) => e.action === 'done')).toHaveLength(1);
    } finally {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      await pgStore.close();
    }
  });

  it('answers a paste delivered twice at once (a platform retry) once, audits it once in the same write as its state, and leaves no trace of chatter', async () => {
    const schema = `ehlo_conv_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const pgStore = createStore({ databaseUrl: process.env.DATABASE_URL, schema });
    const hp = harness(pgStore, config(), 'teams:T1:19:c@thread;messageid=1', undefined, { audit: new AuditLog(pgStore) });
    try {
      const paste = { type: 'message' as const, text: corpusPaste(DNS_NDR_ID), id: 'Ev-paste' };
      await Promise.all([hp.send(paste), hp.send(paste)]);
      expect(hp.sink.posted.filter((r) => r.kind === 'diagnosis')).toHaveLength(1);
      // Later copies are dropped too: the first was marked handled as it let go of the thread.
      await hp.send(paste);
      expect(hp.sink.posted.filter((r) => r.kind === 'diagnosis')).toHaveLength(1);
      const entries = await pgStore.readAudit({});
      expect(entries.map((e) => e.action)).toEqual(['paste-matched']);
      const v = new ChainVerifier();
      expect(entries.every((e) => v.check(e))).toBe(true);
      expect((await pgStore.getThread(hp.thread))?.paste?.verdict).toBe('match');
      // Chatter ehlo was not addressed in changes nothing and claims nothing.
      await hp.send({ type: 'message', text: 'thanks, looking', ambient: true, id: 'Ev-chat' });
      expect(await pgStore.claimDelivery(`${hp.thread}|Ev-chat`, 60_000, new Date())).toBe(true);
      let done = false;
      for (let i = 0; i < 50 && !done; i++) done = !(await pgStore.claimDelivery(`${hp.thread}|Ev-paste`, 0, new Date()));
      expect(done).toBe(true);
    } finally {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
      await pgStore.close();
    }
  });
});
