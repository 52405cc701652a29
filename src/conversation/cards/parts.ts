// Pieces several cards share: short titles, confidence bands, the start button, finding and summary
// lines. Cards import them from here, never from each other.
import type { Match } from '../../match/types.ts';
import type { ProbeResult } from '../../probes/types.ts';
import type { SummaryItem } from '../../walkthrough/summary.ts';
import { safeLine, who } from '../../text/neutralise.ts';
import { clock } from '../../text/time.ts';
import { encodeAction } from '../actions.ts';
import type { Button } from '../reply.ts';

const MAX_FINDINGS = 12;
const MARK: Record<string, string> = { pass: '✓', info: '·', warn: '!', fail: '✗' };

export function shortTitle(title: string, max = 48): string {
  const base = title.replace(/\s*\(.*$/, '').trim() || title;
  return base.length > max ? `${base.slice(0, max - 1)}…` : base;
}

export function startButton(m: Pick<Match, 'playbook'>, label = 'Start walkthrough', primary = true): Button {
  return { id: `start:${m.playbook}`, label, style: primary ? 'primary' : 'default', value: encodeAction({ k: 'start', p: m.playbook }) };
}

export function band(m: Pick<Match, 'confidence' | 'score'>): string {
  return `${m.confidence} (${m.score.toFixed(2)})`;
}

export function findingLines(r: Pick<ProbeResult, 'findings'>, max = MAX_FINDINGS): string[] {
  const lines = r.findings.slice(0, max).map((f) => `${MARK[f.severity] ?? '?'} ${safeLine(f.message, 300)}${f.playbook ? ` → playbook ${f.playbook}` : ''}`);
  if (r.findings.length > max) lines.push(`… and ${r.findings.length - max} more`);
  return lines;
}

export function itemLine(i: SummaryItem): string {
  const mark = i.status === 'done' ? '✓' : i.status === 'failed' ? '✗' : '–';
  const by = i.by ? ` — ${who(i.by)}${i.via === 'probe' ? ' (by check)' : ''}${i.at ? ` at ${clock(i.at)}` : ''}` : '';
  const reason = i.reason ? ` (${safeLine(i.reason, 200)})` : '';
  return `${mark} ${i.title}: ${i.text.trim()}${reason}${by}`;
}
