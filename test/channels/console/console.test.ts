// The console channel end to end, in a child process with piped stdin: paste a real NDR, start the
// walkthrough, run its check against a DNS server on 127.0.0.1, mark steps, quit, start again and
// resume, finish with the summary. Logs go to their file, never into the chat, and keep no paste text.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_SETTINGS } from '../../../src/config.ts';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.ts';
import { healthyDomain } from '../../conversation/dns-zone.ts';
import { corpusPaste, DNS_NDR_ID } from '../../conversation/helpers.ts';
import { ConsoleDriver } from './driver.ts';

let dns: DnsServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dns = await startDnsServer(healthyDomain('libsisimai.org'));
  dir = mkdtempSync(join(tmpdir(), 'ehlo-console-'));
  env = {
    ...Object.fromEntries(ENV_SETTINGS.map((e) => [e.name, ''])),
    EHLO_SQLITE_PATH: join(dir, 'ehlo.sqlite'),
    EHLO_LOG_FILE: join(dir, 'ehlo.log'),
    EHLO_DNS_SERVERS: dns.server,
    EHLO_PROBE_ALLOW: '*',
    EHLO_USER: 'Alice',
    EHLO_CONFIG: '',
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await dns.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ehlo start (the console)', () => {
  it('walks a pasted NDR through its playbook, survives a restart, and finishes with a summary', async () => {
    const first = new ConsoleDriver([], env, dir);
    await first.waitFor(/Paste an error/);
    first.write(`${corpusPaste(DNS_NDR_ID)}\n\n`);
    const card = await first.waitFor(/\[1\] Start walkthrough {2}\[2\] Other matches {2}\[3\] Not this/);
    expect(card).toMatch(/━━ Diagnosis: DNS lookup for the destination failed/);
    expect(card).toMatch(/Confidence +high \(0\.96\)/);
    expect(card).toContain('• status code 5.4.312 — “5.4.312”');

    const step1 = await first.send('1', /\[4\] Run check.*\n/);
    expect(step1).toMatch(/Alice started the walkthrough/);
    expect(step1).toMatch(/━━ Step 1 of 6: Look up the recipient domain's MX records from outside/);
    expect(step1).toContain('Check: dns libsisimai.org (domain from the paste)');

    const checked = await first.send('4', /━━ Step 2 of 6[\s\S]*\[1\] Done.*\n/);
    expect(checked).toContain('… Running dns check on libsisimai.org…');
    expect(checked).toMatch(/✓ dns libsisimai\.org: PASS \(\d+ ms\)/);
    expect(checked).toMatch(/The check passed, so “Look up the recipient domain's MX records from outside” is marked done/);

    await first.send('done', /━━ Step 3 of 6[\s\S]*\[1\] Done.*\n/);
    expect(await first.close()).toBe(0);

    const second = new ConsoleDriver([], env, dir);
    const resumed = await second.waitFor(/━━ Step 3 of 6[\s\S]*\[1\] Done.*\n/);
    expect(resumed).toMatch(/Resuming the walkthrough of “DNS lookup for the destination failed”, started by Alice at\s+[\d-]+ [\d:]+ UTC: step 3 of 6\./);
    await second.send('done', /━━ Step 4 of 6: Fix the DNS path[\s\S]*\[1\] I am making this change.*\n/);
    const asked = await second.send('1', /\[y\/N\]\n/);
    expect(asked).toMatch(/This step changes something\. .*risk: .* Press “I am making this change”\? \[y\/N\]/s);
    await second.send('y', /Confirmed by Alice[\s\S]*\[1\] Done.*\n/);
    await second.send('done', /━━ Step 5 of 6: Retry the queue[\s\S]*\[1\] I am making this change.*\n/);
    await second.send('confirm', /Confirmed by Alice[\s\S]*\[1\] Done.*\n/);
    await second.send('note queue drained at once', /Note added by Alice/);
    const end = await second.send('1', /Notes\n.*\n/);
    expect(end).toMatch(/The walkthrough is finished\./);
    expect(end).toMatch(/━━ Walkthrough finished: DNS lookup for the destination failed/);
    expect(end).toMatch(/Took +\d+ (s|min)/);
    const flat = end.replace(/\s+/g, ' ');
    expect(flat).toMatch(/• ✓ Look up the recipient domain's MX records from outside: MX records exist and their host names resolve\. \(dns check pass\) — Alice \(by check\)/);
    expect(flat).toMatch(/• dns libsisimai\.org: pass → step done — Alice/);
    expect(flat).toContain('• Alice: queue drained at once');
    expect(await second.close()).toBe(0);

    const everything = first.output + second.output;
    expect(everything).not.toContain('\u001b');
    expect(everything).not.toMatch(/"level":|msg/);
    const log = readFileSync(env.EHLO_LOG_FILE as string, 'utf8');
    expect(log).toContain('"msg":"paste matched"');
    expect(log).toContain('"msg":"probe ran"');
    expect(log).not.toMatch(/neko@|Delivery has failed|queue drained/);
  });

  it('keeps one number per action across step cards, and asks before escalating (in the thread, saying who is paged)', async () => {
    const c = new ConsoleDriver(['--thread', 'numbers'], env, dir);
    await c.waitFor(/Paste an error/);
    c.write(`${corpusPaste(DNS_NDR_ID)}\n\n`);
    await c.waitFor(/\[1\] Start walkthrough.*\n/);
    const first = await c.send('1', /━━ Step 1 of 6[\s\S]*\[7\] Stop\n/);
    expect(first).toMatch(/\[1\] Done {2}\[2\] Failed {2}\[3\] Skip {2}\[4\] Run check {2}\[6\] Escalate {2}\[7\] Stop\n/);
    // Step 2 has no check but can go back: the numbers keep their meaning, 4 is not Escalate.
    const second = await c.send('1', /━━ Step 2 of 6[\s\S]*\[7\] Stop\n/);
    expect(second).toMatch(/\[1\] Done {2}\[2\] Failed {2}\[3\] Skip {2}(\[4\] Run check {2})?\[5\] Back {2}\[6\] Escalate {2}\[7\] Stop\n/);
    // Escalate asks first, in the thread (who would be paged), and nothing happens until it is confirmed.
    const asked = await c.send('6', /\[1\] Escalate and page on-call\n/);
    expect(asked).toMatch(/Escalate to on-call\?[\s\S]*nobody is paged/);
    const status = await c.send('status', /step\(s\) settled so far[\s\S]*\[7\] Stop\n/i);
    expect(status).not.toMatch(/escalated/i);
    await c.send('6', /\[1\] Escalate and page on-call\n/);
    expect(await c.send('1', /\[y\/N\]\n/)).toMatch(/Nobody is paged/);
    const ended = await c.send('y', /Handoff|escalated/i);
    expect(ended).toMatch(/escalat/i);
    expect(await c.close()).toBe(0);
  });

  it('says when no walkthrough is open and quits cleanly on end of input', async () => {
    const c = new ConsoleDriver(['--thread', 'other'], env, dir);
    await c.waitFor(/thread "other"/);
    const status = await c.send('status', /No walkthrough in this thread yet/);
    expect(status).not.toMatch(/Resuming/);
    expect(await c.close()).toBe(0);
  });

  it('stops at start with the exact setting and source when the configuration is wrong', async () => {
    const c = new ConsoleDriver([], { ...env, EHLO_LOG_LEVEL: 'loud' }, dir);
    expect(await c.exited).toBe(2);
    expect(c.err).toMatch(/environment EHLO_LOG_LEVEL › logging\.level: Invalid option/);
  });
});
