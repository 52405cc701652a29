// Step commands filled with the thread's values, and the IMCEAEX address of a real NDR decoded into the
// X500 proxy address the fix adds (shared/seeds/002: mail to a deleted, synced mail user).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImceaex, factsFromPaste, fillCommand } from '../../src/conversation/command-fill.ts';
import { pasteState, walkFromPaste, toContext } from '../../src/conversation/context.ts';
import { stepCard } from '../../src/conversation/cards/step.ts';
import { WalkContext } from '../../src/conversation/state/thread-state.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { currentStep } from '../../src/walkthrough/view.ts';
import { replyText } from './helpers.ts';

const seed = (id: string): string =>
  (JSON.parse(readFileSync(new URL('../fixtures/cases/seeds.jsonl', import.meta.url), 'utf8').split('\n').find((l) => l.includes(`"id": "${id}"`)) ?? '{}') as { text: string }).text;

const NDR = seed('seed002-ndr-exrecipnotfound-soft-deleted');
const X500 = 'X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0729272369574e7d945aeeecf1afd94c-Blog Test';

describe('decodeImceaex', () => {
  it('turns the NDR\'s IMCEAEX address into its X500 proxy address', () => {
    expect(factsFromPaste(NDR)).toEqual({ imceaex: expect.stringMatching(/^IMCEAEX-_o=ExchangeLabs_.*-Blog\+20Test@namprd06\.prod\.outlook\.com$/), x500: X500 });
    expect(decodeImceaex('IMCEAEX-_O=CONTOSO_OU=First+20Administrative+20Group_cn=Recipients_cn=jdoe+2Eold@contoso.com')).toBe('X500:/O=CONTOSO/OU=First Administrative Group/cn=Recipients/cn=jdoe.old');
    expect(decodeImceaex('someone@contoso.com')).toBeUndefined();
    expect(factsFromPaste('550 5.1.1 user unknown')).toEqual({});
  });
});

describe('fillCommand', () => {
  it('puts the thread\'s values where the command has samples, and says where each came from', () => {
    const r = fillCommand('Resolve-DnsName -Name <recipient domain> -Type MX\nGet-Mailbox -Identity user@contoso.com\ntelnet <host> 25', { domain: 'fabrikam.com', email: 'ann@fabrikam.com', host: 'mx.fabrikam.com:2525' }, new Set(['host']));
    expect(r.text).toBe('Resolve-DnsName -Name fabrikam.com -Type MX\nGet-Mailbox -Identity ann@fabrikam.com\ntelnet mx.fabrikam.com 25');
    expect(r.filled).toEqual([
      { sample: '<recipient domain>', value: 'fabrikam.com', from: 'paste' },
      { sample: 'user@contoso.com', value: 'ann@fabrikam.com', from: 'paste' },
      { sample: '<host>', value: 'mx.fabrikam.com', from: 'given' },
    ]);
    expect(fillCommand('Get-Mailbox <address>', {}, new Set()).text).toBe('Get-Mailbox <address>');
  });

  it('shows the decoded X500 address in the IMCEAEX playbook\'s commands, from the paste to the step card', () => {
    const matcher = defaultMatcher();
    const result = matcher.match(NDR);
    const playbook = matcher.catalog.playbookById.get('imceaex-stale-legacydn-x500')!;
    const paste = pasteState(NDR, result, new Date('2026-12-03T10:00:00Z'));
    // Stored and read back, as the thread state does; a context stored before facts existed still reads.
    const walk = WalkContext.parse(JSON.parse(JSON.stringify(walkFromPaste('s-1', paste, playbook.id))));
    expect(walk.facts?.x500).toBe(X500);
    const { facts: _f, ...old } = walk;
    expect(WalkContext.parse(old).facts).toBeUndefined();
    const started = startSession(playbook, { id: 's-1', threadKey: 't', actor: { id: 'U1', name: 'Ann' }, at: new Date() });
    if (!started.ok) throw new Error(started.rejection.message);
    const session = { ...started.session, cursor: 'find-owner', path: ['copy-imceaex-address', 'decode-x500', 'find-owner'] };
    const ctx = toContext(walk);
    const text = replyText(stepCard('t', currentStep(session, playbook)!, playbook, ctx.targets, ctx.answered, ctx.facts));
    expect(text).toContain(`Get-Recipient -Filter "EmailAddresses -eq '${X500}'"`);
    expect(text).not.toContain('abc123-user');
    expect(text).toMatch(/Filled in: X500:\/o=ExchangeLabs.* \(from the paste, for X500:\/o=ExchangeLabs/);
  });
});
