// The seed walkthroughs, start to finish in the console (`ehlo start` in a child process over pipes),
// against loopback servers: an SMTP server that offers STARTTLS or does not (behind one port, switched
// when the fix is made), an HTTPS server that answers like an Exchange front end or fails, and a DNS
// server. Each paste is a seed case (test/fixtures/cases/seeds.jsonl). Every walkthrough ends with its
// proof. Where the diagnosis rests on a check that failed, that check is run again: resolved only when it
// passes cleanly after the fix, unverified when nothing fixed it; the summary shows before and after.
// Where no check can see the fix (a PC's proxy, an address inside Exchange Online), the person is asked
// for what they observe, and the summary says the proof was their word.
// EHLO_SEED_DUMP=1 prints how each one ends.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { makeCa, makeCert } from '../../helpers/certs.ts';
import { startDnsServer, type DnsRecord, type DnsServer } from '../../helpers/dns-server.ts';
import { startHttps } from '../../helpers/https.ts';
import { startSmtp, type Listening } from '../../helpers/smtp.ts';
import { ConsoleDriver } from './driver.ts';

const DOMAIN = 'contoso.test';
const HOST = `mail.${DOMAIN}`;

/** One port whose connections go to whichever server is current (the broken one until the fix). */
async function forwarder(to: () => number): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(to(), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The site the walkthroughs check: broken (no STARTTLS, web services failing) until a fix is made. */
const site = { healthy: false };
let servers: Listening[] = [];
let smtp: Listening;
let web: Listening;
let dns: DnsServer;
let dir: string;
let env: NodeJS.ProcessEnv;

function exchange(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const path = (req.url ?? '/').toLowerCase();
  if (!site.healthy && /^\/(?:ews|rpc|mapi)\//.test(path)) res.writeHead(503);
  else if (/^\/(?:ews\/|rpc\/|mapi\/|autodiscover\/)/.test(path)) res.writeHead(401, [['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'NTLM']]);
  else res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end();
}

beforeAll(async () => {
  const ca = await makeCa('ehlo seeds CA');
  const cert = await makeCert({ names: [HOST, DOMAIN, `autodiscover.${DOMAIN}`], ca });
  // No AUTH before STARTTLS on either (that would be a warning of its own).
  const good = await startSmtp({ tls: cert, name: HOST, noAuth: true });
  const bad = await startSmtp({ name: HOST, noAuth: true });
  smtp = await forwarder(() => (site.healthy ? good.port : bad.port));
  web = await startHttps(cert, exchange);
  const records: DnsRecord[] = [
    ...[HOST, DOMAIN, `autodiscover.${DOMAIN}`].map((name): DnsRecord => ({ name, type: 'A', data: '127.0.0.1' })),
    { name: DOMAIN, type: 'MX', data: { preference: 10, exchange: HOST } },
  ];
  dns = await startDnsServer(records);
  servers = [good, bad, smtp, web];
  dir = mkdtempSync(join(tmpdir(), 'ehlo-seeds-'));
  const config = join(dir, 'ehlo.config.yaml');
  writeFileSync(config, JSON.stringify({ probes: { allow: ['*.test', '127.0.0.0/8'], dnsServers: [dns.server], dnsblZones: ['bl.contoso.test'], extraCaPem: [ca.cert], publicCaPem: [ca.cert] } }));
  env = {
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_SQLITE_PATH: join(dir, 'ehlo.sqlite'),
    EHLO_LOG_FILE: join(dir, 'ehlo.log'),
    EHLO_USER: 'Alice',
    EHLO_CONFIG: config,
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await Promise.all([...servers.map((s) => s.close()), dns.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function seedPaste(id: string): string {
  const line = readFileSync(new URL('../../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${id}"`));
  if (!line) throw new Error(`no seed case ${id}`);
  return (JSON.parse(line) as { text: string }).text;
}

const catalog = loadCatalog();

interface Seed {
  seed: string;
  playbook: string;
  /** The paste is ambiguous: the number typed to answer its telling-apart question (questions/*.yaml). */
  question?: { answer: string; asks: RegExp };
  /** How each step is answered (default: run its check when it has one, else done). */
  answers: Record<string, 'done' | 'failed' | 'check'>;
  /** The site is healthy from the start (its checks pass). */
  healthy?: boolean;
  /** What the thread is asked for, by placeholder. */
  values?: () => Partial<Record<'host' | 'ip' | 'domain' | 'email', string>>;
  outcome: 'resolved' | 'unverified';
  /** Values set with `set` before the first check (the paste names other ones). */
  set?: Record<string, () => string>;
  /** What the cards must show on the way (commands filled from the paste). */
  shows?: RegExp[];
  /** The check run again at the end: its probe, and its status before and after. */
  recheck?: { probe: string; before: string; after: string };
  /** A fix no check can see: the step whose proof is asked at the end, what it asks, and the answer given. */
  proof?: { step: string; asks: RegExp; answer: 'yes' | 'no' | 'unsure' };
}

const smtpHost = (): string => `${HOST}:${smtp.port}`;
const webHost = (): string => `${HOST}:${web.port}`;

const SEEDS: Seed[] = [
  {
    seed: 'seed001-451-starttls-required',
    playbook: 'starttls-required-forced-tls',
    answers: { 'read-queue-error': 'failed', 'check-firewall-inspection': 'failed' },
    values: () => ({ host: smtpHost(), ip: '127.0.0.2' }),
    outcome: 'resolved',
    recheck: { probe: 'smtp', before: 'fail', after: 'pass' },
  },
  {
    seed: 'seed001-exo-pending-defer',
    playbook: 'exo-hybrid-deferred-not-resubmitted',
    answers: { 'list-pending': 'failed', 'read-defer-detail': 'failed', 'check-onprem-certificate': 'failed' },
    values: () => ({ host: smtpHost() }),
    outcome: 'resolved',
    recheck: { probe: 'smtp', before: 'fail', after: 'pass' },
  },
  {
    seed: 'seed003-rpcping-backend-hangs',
    playbook: 'outlook-anywhere-rpc-connectivity',
    answers: { 'check-cert-principal-name': 'failed' },
    set: { host: webHost },
    outcome: 'resolved',
    recheck: { probe: 'rpc', before: 'fail', after: 'pass' },
  },
  {
    seed: 'seed003-kernel-mode-reprompting',
    playbook: 'outlook-anywhere-credential-prompts',
    answers: { 'check-kernel-mode': 'failed' },
    values: () => ({ host: webHost() }),
    outcome: 'resolved',
    recheck: { probe: 'rpc', before: 'fail', after: 'pass' },
  },
  // Nothing on this path fixes what the check found: the re-check still fails, so the fix is not proved.
  {
    seed: 'seed004-mailbox-to-mailbox-stuck',
    playbook: 'transport-kerberos-auth-failure',
    answers: {},
    values: () => ({ host: smtpHost() }),
    outcome: 'unverified',
    recheck: { probe: 'smtp', before: 'fail', after: 'fail' },
  },
  // The checks on these paths pass (or there are none): no check can see the fix (a proxy setting on one
  // PC, an address inside Exchange Online, a purged cloud object), so a person confirms what they observe.
  {
    seed: 'seed000-kb2837618-oof-error',
    playbook: 'oof-settings-unavailable-ews-autodiscover',
    answers: { 'check-winhttp-proxy': 'failed' },
    healthy: true,
    values: () => ({ host: webHost(), domain: DOMAIN, email: `someone@${DOMAIN}` }),
    outcome: 'resolved',
    proof: { step: 'reset-winhttp-proxy', asks: /restart Outlook and open File > Automatic Replies/, answer: 'yes' },
  },
  // The seed's NDR alone cannot tell these two apart: the console asks, the typed answer settles it.
  {
    seed: 'seed002-ndr-exrecipnotfound-soft-deleted',
    playbook: 'exrecipnotfound-soft-deleted-mail-user',
    question: { answer: '1', asks: /Was the recipient's user account deleted[\s\S]*\[1\] Yes, the account was deleted[\s\S]*\[3\] I don't know/ },
    answers: { 'confirm-typed-address': 'failed', 'find-live-recipient': 'failed' },
    outcome: 'resolved',
    proof: { step: 'fix-claiming-object', asks: /send a new message to the\s+external address and trace it/, answer: 'yes' },
  },
  {
    seed: 'seed002-ndr-exrecipnotfound-soft-deleted',
    playbook: 'imceaex-stale-legacydn-x500',
    question: { answer: '2', asks: /\[2\] No, the mailbox was moved, migrated or recreated/ },
    answers: { 'copy-imceaex-address': 'failed', 'find-owner': 'failed' },
    outcome: 'resolved',
    proof: { step: 'add-x500-proxy', asks: /reply to the old message/, answer: 'yes' },
    // The NDR's IMCEAEX recipient, decoded into the X500 address the fix adds, in place of the sample.
    shows: [
      /Set-Mailbox -Identity user@contoso\.com -EmailAddresses\s+@\{Add='X500:\/o=ExchangeLabs\/ou=Exchange Administrative Group \(FYDIBOHF23SPDLT\)\/cn=Recipients\/cn=0729272369574e7d945aeeecf1afd94c-Blog Test'\}/,
      /\$imceaex = 'IMCEAEX-_o=ExchangeLabs_ou=Exchange\+20Administrative\+20Group\+20\+28FYDIBOHF23SPDLT\+29_cn=Recipients_cn=0729272369574e7d945aeeecf1afd94c-Blog\+20Test@namprd06\.prod\.outlook\.com'/,
    ],
  },
  {
    seed: 'seed002-returndeletedusers',
    playbook: 'exrecipnotfound-soft-deleted-mail-user',
    // The seed's own story: a soft-deleted mail user left by a user deleted on premises, purged from the recycle bin.
    answers: { 'confirm-typed-address': 'failed', 'find-soft-deleted-mail-user': 'failed', 'find-deleted-cloud-user': 'failed' },
    outcome: 'resolved',
    proof: { step: 'purge-deleted-user', asks: /send a new message to the\s+external address and trace it/, answer: 'yes' },
  },
];

/** How the console asks for each value (ASK in src/conversation/targets.ts). */
const ASKED = { host: 'the mail server host name', ip: 'the IP address', domain: 'the mail domain', email: 'the e-mail address' } as const;

const STEP_CARD = /━━ Step (\d+) of \d+:[\s\S]*?\[7\] Stop\n/;
const END = /━━ Walkthrough (finished|finished, not verified|escalated|stopped):/;
const PROOF_CARD = /━━ Proof of the fix: [\s\S]*?\[3\] Cannot tell\n/;
const PROOF_KEY = { yes: '1', no: '2', unsure: '3' } as const;

/** Bob opens the thread in a second console, which resumes at the step, and confirms it as the second person. */
async function secondConfirmation(thread: string, title: string): Promise<void> {
  const bob = new ConsoleDriver(['--thread', thread], { ...env, EHLO_USER: 'Bob' }, dir);
  try {
    const card = await bob.waitFor(/Resuming the walkthrough[\s\S]*?\[7\] Stop\n/);
    expect(card.replace(/\s+/g, ' ')).toContain(title);
    await bob.send('1', /\[y\/N\]\n/);
    await bob.send('y', /Bob confirmed the change[\s\S]*?\[7\] Stop\n/);
  } finally {
    await bob.close();
  }
}

describe('the seed walkthroughs in the console, against loopback servers', () => {
  it.each(SEEDS.map((s, i) => ({ i, name: `${s.seed} (${s.playbook})`, outcome: s.outcome, proof: s.recheck ? `re-checked ${s.recheck.probe}` : s.proof ? `proof confirmed ${s.proof.answer}` : 'no proof' })))('$name runs start to finish: $outcome, $proof', async ({ i }) => {
    const seed = SEEDS[i]!;
    const playbook = catalog.playbookById.get(seed.playbook);
    if (!playbook) throw new Error(`no playbook ${seed.playbook}`);
    site.healthy = seed.healthy ?? false;
    const c = new ConsoleDriver(['--thread', `seed-${i}`], env, dir);
    try {
      await c.waitFor(/Paste an error/);
      c.write(`${seedPaste(seed.seed)}\n\n`);
      if (seed.question) {
        await c.waitFor(new RegExp(`${seed.question.asks.source}[\\s\\S]*Other matches.*\\n`));
        c.write(`${seed.question.answer}\n`);
      }
      const diagnosis = await c.waitFor(/\[1\] Start walkthrough.*\n/);
      expect(diagnosis).toContain(`Diagnosis: ${playbook.title.slice(0, 30)}`);
      c.write('1\n');
      let last = '';
      const visited: string[] = [];
      for (let guard = 0; guard < 40; guard++) {
        const next = await c.waitFor(new RegExp(`${STEP_CARD.source}|${END.source}|${PROOF_CARD.source}`));
        if (END.test(next)) break;
        if (PROOF_CARD.test(next)) {
          // The closing proof of a fix no check sees: asked of the person, answered (yes asks once more).
          const proof = seed.proof;
          if (!proof) throw new Error(`${seed.seed} asks for a proof the seed does not expect:\n${next}`);
          expect(next.replace(/\n *│? */g, ' ')).toMatch(proof.asks);
          expect(next).toContain(`Proof of the fix: ${playbook.steps.find((s) => s.id === proof.step)?.title}`);
          if (proof.answer === 'yes') {
            await c.send('1', /\[y\/N\]\n/);
            c.write('y\n');
          } else c.write(`${PROOF_KEY[proof.answer]}\n`);
          continue;
        }
        const position = Number(STEP_CARD.exec(next.slice(next.lastIndexOf('━━ Step')))?.[1]);
        const step = playbook.steps[position - 1]!;
        // The paste names a host of its own (not one served here): the person points the checks at this one.
        if (seed.set && !visited.length) for (const [name, value] of Object.entries(seed.set)) await c.send(`set ${name} ${value()}`, /now use/);
        const again = step.id === last;
        last = step.id;
        visited.push(step.id);
        let answer = seed.answers[step.id] ?? (step.probe ? 'check' : 'done');
        // A check that settled nothing (a warning) shows the same step again: decide by hand.
        if (again && answer === 'check') answer = 'done';
        if (step.changes !== false) {
          await c.send('1', /\[y\/N\]\n/);
          await c.send('y', /Confirmed by Alice[\s\S]*?\[7\] Stop\n/);
          // A high-risk change needs a second person (four eyes): Bob confirms from his own console on the same thread.
          // Alice's card still shows the confirm button (Bob's console confirmed), so she types done.
          const high = step.changes.risk === 'high';
          if (high) await secondConfirmation(`seed-${i}`, step.title);
          site.healthy = true;
          c.write(high ? 'done\n' : '1\n');
        } else if (answer === 'check') {
          const ran = await c.send('4', /or cancel\.\n|: (?:PASS|FAIL|WARN|ERROR|REFUSED) \(\d+ ms\)/);
          if (/or cancel\.\n$/.test(ran)) {
            const asked = ran.slice(ran.lastIndexOf(' needs ')).replace(/\s+/g, ' ');
            const name = (['host', 'ip', 'domain', 'email'] as const).find((p) => asked.includes(ASKED[p]));
            const value = seed.values?.()[name as 'host'];
            if (!value) throw new Error(`step ${step.id} asks for ${name}, which the seed does not give`);
            await c.send(value, /: (?:PASS|FAIL|WARN|ERROR|REFUSED) \(\d+ ms\)/);
          }
        } else c.write(`${answer === 'done' ? '1' : '2'}\n`);
      }
      // The summary (after the re-check, when there is one) is printed as one card.
      await c.waitFor(/Started by.*\n/);
      await new Promise((r) => setTimeout(r, 400));
      const out = c.output;
      const summary = out.slice(out.search(END));
      // EHLO_SEED_DUMP=1 prints each walkthrough's ending: its last step, the proof and the summary.
      if (process.env.EHLO_SEED_DUMP) console.log(out.slice(out.lastIndexOf('━━ Step')));
      expect(summary, `visited ${visited.join(' → ')}`).toMatch(new RegExp(`Outcome +${seed.outcome}\\n`));
      if (seed.recheck) {
        expect(out).toMatch(/Checking again now that the fix is in: the same \w+ check as “/);
        const flat = summary.replace(/\s+/g, ' ');
        expect(flat).toMatch(new RegExp(`Re-check: ${seed.recheck.probe} \\S+ \\(“`));
        expect(flat).toMatch(new RegExp(`Before ${seed.recheck.before}\\b.* After ${seed.recheck.after}\\b`));
        if (seed.outcome === 'unverified') expect(flat).toMatch(/Reason: the re-check still finds a problem/);
      } else {
        expect(out).not.toMatch(/Checking again/);
        expect(summary).not.toMatch(/Re-check:/);
      }
      if (seed.proof) {
        const flat = summary.replace(/\s+/g, ' ');
        expect(flat).toMatch(/Proof \(a person's confirmation, no check can see this fix\): /);
        if (seed.outcome === 'resolved') expect(flat).toMatch(/Proved by: Alice confirmed that .* \(a person's word: no check can see this fix\)/);
        if (seed.proof.answer === 'yes') expect(flat).toMatch(/Answer +confirmed, seen — Alice at /);
      }
      // Every seed ends with its proof: a check run again, or a person's confirmation.
      expect(Boolean(seed.recheck) || Boolean(seed.proof)).toBe(true);
      if (seed.outcome === 'resolved' && seed.recheck) expect(summary.replace(/\s+/g, ' ')).toMatch(/Proved by: the \w+ check of \S+ passed cleanly after the fix/);
      for (const shown of seed.shows ?? []) expect(out.replace(/\n *│ /g, ' ')).toMatch(shown);
      expect(out).not.toContain('\u001b');
    } finally {
      await c.close();
    }
  }, 60_000);
});
