// The Block Kit renderer keeps every Slack limit by construction, whatever the reply holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, Reply } from '../../../src/conversation/reply.ts';
import { escapeMrkdwn, LIMITS, metadataFor, plainText, renderReply, splitEscaped, type SlackBlock, type TextObject } from '../../../src/channels/slack/render.ts';

function texts(blocks: SlackBlock[]): TextObject[] {
  return blocks.flatMap((b) => {
    switch (b.type) {
      case 'header': return [b.text];
      case 'section': return [...(b.text ? [b.text] : []), ...(b.fields ?? [])];
      case 'context': return b.elements;
      case 'actions': return b.elements.flatMap((e) => [e.text, ...(e.confirm ? [e.confirm.title, e.confirm.text, e.confirm.confirm, e.confirm.deny] : [])]);
      default: return [];
    }
  });
}

/** Every limit Slack enforces on what ehlo sends. */
function expectWithinLimits(blocks: SlackBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const b of blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.header);
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
      expect(b.text !== undefined || (b.fields ?? []).length > 0).toBe(true);
    }
    if (b.type === 'context') for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(LIMITS.contextText);
    if (b.type === 'actions') {
      expect(b.elements.length).toBeGreaterThan(0);
      expect(b.elements.length).toBeLessThanOrEqual(LIMITS.actionsElements);
      expect(b.block_id.length).toBeLessThanOrEqual(LIMITS.blockId);
      const ids = new Set(b.elements.map((e) => e.action_id));
      expect(ids.size).toBe(b.elements.length);
      for (const e of b.elements) {
        expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect(e.action_id.length).toBeLessThanOrEqual(LIMITS.actionId);
        if (e.confirm) {
          expect(e.confirm.title.text.length).toBeLessThanOrEqual(LIMITS.confirmTitle);
          expect(e.confirm.text.text.length).toBeLessThanOrEqual(LIMITS.confirmText);
          expect(e.confirm.confirm.text.length).toBeLessThanOrEqual(LIMITS.confirmButton);
        }
      }
    }
  }
  for (const t of texts(blocks)) {
    expect(t.text.length).toBeGreaterThan(0);
    if (t.type === 'mrkdwn') {
      expect(t.verbatim).toBe(true);
      // Escaped: no raw < > left, and no entity cut in half.
      expect(t.text).not.toMatch(/[<>]/);
      expect(t.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  }
}

function big(): Reply {
  const blocks: Block[] = [
    { type: 'header', text: `Diagnosis: ${'very long title '.repeat(30)}` },
    { type: 'text', text: `<!channel> & <b>bold</b> ${'x&y '.repeat(3000)}`, tone: 'warning' },
    { type: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `label ${i} ${'l'.repeat(300)}`, value: `v&<>${'v'.repeat(3000)}` })) },
    { type: 'code', label: 'PowerShell', text: `Get-Thing \`\`\` <x> & ${'line of code\n'.repeat(900)}` },
    { type: 'list', title: 'Why', items: Array.from({ length: 400 }, (_, i) => `item ${i} <@U123> & more`) },
    ...Array.from({ length: 80 }, (_, i): Block => ({ type: 'status', state: 'pass', text: `status ${i}` })),
    { type: 'progress', current: 3, total: 7, label: 'play <book>' },
    {
      type: 'buttons',
      buttons: Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, label: `A very long button label number ${i} ${'z'.repeat(100)}`, style: i === 0 ? 'primary' as const : 'default' as const, value: `{"k":"others","i":${i}}`, confirm: { title: 'T'.repeat(300), text: 'C'.repeat(900) } })),
    },
  ];
  return { id: 'r-test-1', thread: 'slack:T:C:1.1', kind: 'diagnosis', summary: `Diagnosis <!here> ${'s'.repeat(5000)}`, blocks, meta: { playbook: 'p', verdict: 'match', score: 0.91234 } };
}

describe('renderReply', () => {
  it('keeps Slack\'s limits on a reply far over all of them, keeps the buttons, and says what it left out', () => {
    const { blocks, text } = renderReply(big());
    expectWithinLimits(blocks);
    expect(blocks.filter((b) => b.type === 'actions').length).toBe(2);
    expect(JSON.stringify(blocks)).toMatch(/more block\(s\) not shown/);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).not.toContain('<!here>');
  });

  it('never lets a code block close its fence early', () => {
    const { blocks } = renderReply({ id: 'r', thread: 't', kind: 'step', summary: 's', blocks: [{ type: 'code', text: 'a ``` b' }] });
    const section = blocks[0] as { text: TextObject };
    expect(section.text.text.match(/```/g)).toHaveLength(2);
  });

  it('renders a change step\'s confirm as a Block Kit confirm dialog', () => {
    const { blocks } = renderReply({ id: 'r', thread: 't', kind: 'step', summary: 's', blocks: [{ type: 'buttons', buttons: [{ id: 'confirm', label: 'I am making this change', style: 'danger', value: '{}', confirm: { title: 'This step changes something', text: 'high risk: restarts transport' } }] }] });
    const button = (blocks[0] as Extract<SlackBlock, { type: 'actions' }>).elements[0];
    expect(button?.style).toBe('danger');
    expect(button?.confirm).toMatchObject({ title: { type: 'plain_text', text: 'This step changes something' }, text: { type: 'plain_text', text: 'high risk: restarts transport' }, style: 'danger' });
  });

  it('keeps the limits for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8000 }), fc.string({ maxLength: 400 }), fc.integer({ min: 0, max: 60 }), (s, label, n) => {
        const blocks: Block[] = [
          { type: 'header', text: label },
          { type: 'text', text: s },
          { type: 'code', text: s, label },
          { type: 'fields', fields: Array.from({ length: n % 25 }, () => ({ label, value: s })) },
          { type: 'list', items: Array.from({ length: n }, () => s.slice(0, 200)) },
          { type: 'buttons', buttons: [{ id: label, label: label || 'x', style: 'default', value: 'v' }] },
        ];
        expectWithinLimits(renderReply({ id: 'r', thread: 't', kind: 'notice', summary: s, blocks }).blocks);
      }),
      { numRuns: 60 },
    );
  });

  it('splits escaped text without cutting an entity', () => {
    const escaped = escapeMrkdwn('&'.repeat(5000));
    for (const chunk of splitEscaped(escaped, 3000)) {
      expect(chunk.length).toBeLessThanOrEqual(3000);
      expect(chunk).toMatch(/^(&amp;)+$/);
    }
  });

  it('gives diagnosis and step cards metadata, other replies none; plain text is escaped', () => {
    const r = big();
    expect(metadataFor(r)).toEqual({ event_type: 'ehlo_diagnosis', event_payload: { reply: 'r-test-1', playbook: 'p', verdict: 'match', score: 0.912 } });
    expect(metadataFor({ ...r, kind: 'step', meta: { playbook: 'p', session: 's1', step: 'st', version: 3 } })).toEqual({ event_type: 'ehlo_step', event_payload: { reply: 'r-test-1', playbook: 'p', session: 's1', step: 'st', version: 3 } });
    expect(metadataFor({ ...r, kind: 'notice' })).toBeUndefined();
    const plain = plainText(r);
    expect(plain.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(plain).not.toMatch(/[<>]/);
  });
});

describe('renderReply on a megabyte', () => {
  it('renders a 1 MiB text, code and list block quickly, within the limits', () => {
    const mb = `${'x&<y> '.repeat(180_000)}`;
    const started = performance.now();
    const { blocks } = renderReply({ id: 'r', thread: 't', kind: 'handoff', summary: mb, blocks: [{ type: 'text', text: mb }, { type: 'code', text: mb }, { type: 'list', items: [mb, mb] }] });
    expect(performance.now() - started).toBeLessThan(3000);
    expectWithinLimits(blocks);
  });
});
