// Replies as terminal text: numbered buttons, wrapped to width, no colour without a terminal or with
// NO_COLOR, and nothing in a reply can write an escape sequence to the terminal.
import { describe, expect, it } from 'vitest';
import { makeStyle, wantColor } from '../../../src/channels/console/ansi.ts';
import { renderReply, wrap } from '../../../src/channels/console/render.ts';
import { reply } from '../../../src/conversation/reply.ts';

const card = reply('t', 'step', [
  { type: 'header', text: 'Step 2 of 6: Resolve the same name from the Exchange server' },
  { type: 'progress', current: 2, total: 6, label: 'DNS lookup failed' },
  { type: 'text', text: 'On the server that owns the queue, resolve the domain with the server\'s own DNS settings and compare with the public answer.' },
  { type: 'code', label: 'PowerShell', text: 'Resolve-DnsName -Name contoso.com -Type MX' },
  { type: 'fields', fields: [{ label: 'Healthy', value: 'The same MX answer.' }, { label: 'Unhealthy', value: 'Timeout or NXDOMAIN.' }] },
  { type: 'status', state: 'pass', text: 'dns contoso.com: PASS (12 ms)' },
  { type: 'buttons', buttons: [{ id: 'done', label: 'Done', style: 'primary', value: 'x' }, { id: 'failed', label: 'Failed', style: 'default', value: 'y' }, { id: 'esc', label: 'Escalate', style: 'danger', value: 'z' }] },
]);

describe('renderReply', () => {
  it('lays out a step card with numbered buttons and no escape codes when colour is off', () => {
    const out = renderReply(card, { style: makeStyle(false), width: 80 }).join('\n');
    expect(out).toContain('━━ Step 2 of 6: Resolve the same name from the Exchange server');
    expect(out).toContain('■■□□□□ 2/6  DNS lookup failed');
    expect(out).toContain('│ Resolve-DnsName -Name contoso.com -Type MX');
    expect(out).toMatch(/Healthy {4}The same MX answer\./);
    expect(out).toContain('✓ dns contoso.com: PASS (12 ms)');
    expect(out).toContain('[1] Done  [2] Failed  [3] Escalate');
    expect(out).not.toContain('\u001b');
  });

  it('colours on a terminal', () => {
    expect(renderReply(card, { style: makeStyle(true), width: 80 }).join('\n')).toContain('\u001b[');
  });

  it('keeps every line within the width', () => {
    for (const line of renderReply(card, { style: makeStyle(false), width: 50 })) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('strips control characters a reply might still carry', () => {
    const hostile = reply('t', 'x', [{ type: 'text', text: 'a\u001b[2J\u001b]0;title\u0007b' }, { type: 'list', items: ['\u009b31m'] }]);
    expect(renderReply(hostile, { style: makeStyle(false), width: 80 }).join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('wrap', () => {
  it('wraps words, hangs continuation lines and splits a word longer than the line', () => {
    expect(wrap('aaa bbb ccc', 9, '- ', '  ')).toEqual(['- aaa bbb', '  ccc']);
    expect(wrap('x'.repeat(12), 6, '', '')).toEqual(['xxxxxx', 'xxxxxx']);
    expect(wrap('one\n\ntwo', 20, '  ')).toEqual(['  one', '', '  two']);
  });
});

describe('wantColor', () => {
  it('is on for a terminal, off for pipes, NO_COLOR or --no-color', () => {
    expect(wantColor(true, {})).toBe(true);
    expect(wantColor(false, {})).toBe(false);
    expect(wantColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantColor(true, {}, false)).toBe(false);
  });
});
