// The header card: for a pasted message header block, the hops with their delays, the verdicts
// (authentication and anti-spam), the findings, the checks ehlo would run, and the walkthrough
// button of the playbook the headers lead to. Built from the neutral reply model like every card.
import type { Catalog } from '../../catalog/load.ts';
import { formatDuration } from '../../headers/hops.ts';
import { delayBar } from '../../headers/render.ts';
import { analyzeHeaders, hasHeaderEvidence, type HeaderReport } from '../../headers/report.ts';
import type { MatchResult } from '../../match/types.ts';
import { encodeAction } from '../actions.ts';
import { safeLine } from '../../text/neutralise.ts';
import { reply, type Block, type Button, type Reply } from '../reply.ts';
import { startButton } from './parts.ts';

const MAX_HOPS = 12;
const MAX_FINDINGS = 8;
const MARK = { pass: '✓', info: '·', warn: '!', fail: '✗' } as const;

function hopItems(r: HeaderReport): string[] {
  const hops = r.hops.length > MAX_HOPS ? [...r.hops.slice(0, 2), ...r.hops.slice(-(MAX_HOPS - 2))] : r.hops;
  return hops.map((h) => {
    const delay = h.delaySeconds === null ? '?' : formatDuration(h.delaySeconds);
    const share = h.share === null ? '' : ` ${Math.round(h.share * 100)}%`;
    return safeLine(`${h.n}. ${h.by ?? '?'}${h.from ? ` ← ${h.from}` : ''} · ${delay} ${delayBar(h.share, 10)}${share}${h.skew ? ' · clock skew' : ''}`, 160);
  });
}

function verdictFields(r: HeaderReport): Array<{ label: string; value: string }> {
  const a = r.authentication;
  const s = r.antispam;
  const fields: Array<{ label: string; value: string }> = [];
  if (a.spf) fields.push({ label: 'SPF', value: safeLine(`${a.spf.result}${a.spf.domain ? ` (${a.spf.domain})` : ''}`, 80) });
  if (a.dkim.length) fields.push({ label: 'DKIM', value: safeLine(a.dkim.map((d) => `${d.result}${d.domain ? ` (${d.domain})` : ''}`).join(', '), 80) });
  if (a.dmarc) fields.push({ label: 'DMARC', value: safeLine(`${a.dmarc.result}${a.dmarc.action ? ` action=${a.dmarc.action}` : ''}`, 80) });
  if (a.compauth) fields.push({ label: 'compauth', value: safeLine(`${a.compauth.result}${a.compauth.reason ? ` ${a.compauth.reason}` : ''}`, 40) });
  const verdict = [s.sfv && `SFV:${s.sfv}`, s.cat && `CAT:${s.cat}`, s.scl !== undefined && `SCL ${s.scl}`, s.bcl !== undefined && `BCL ${s.bcl}`, s.dest && `dest:${s.dest}`].filter(Boolean).join(' · ');
  if (verdict) fields.push({ label: 'Anti-spam', value: safeLine(verdict, 80) });
  return fields;
}

function noVerdictText(report: HeaderReport): Block {
  const warned = report.findings.some((f) => f.severity === 'warn' || f.severity === 'fail');
  return warned
    ? { type: 'text', text: 'No filtering verdict or slow hop to act on; the findings below are worth a look.', tone: 'warning' }
    : { type: 'text', text: 'No filtering verdict, authentication failure or slow hop in these headers.', tone: 'success' };
}

/** The card for a header paste; `report` comes from analyzeHeaders(text, catalog). */
export function headerCard(thread: string, report: HeaderReport, catalog: Catalog): Reply {
  const top = report.verdict === 'none' ? undefined : report.matches[0];
  const playbook = top ? catalog.playbookById.get(top.playbook) : undefined;
  const total = report.totalSeconds === null ? '' : `, ${formatDuration(report.totalSeconds)} in all`;
  const blocks: Block[] = [
    { type: 'header', text: top ? `Headers: ${top.title}` : 'Headers: nothing wrong found' },
    ...(playbook ? [{ type: 'text' as const, text: playbook.summary.trim() }] : [noVerdictText(report)]),
    { type: 'list', title: `Hops (${report.hops.length}${total}), oldest first`, items: hopItems(report) },
  ];
  const fields = verdictFields(report);
  if (fields.length) blocks.push({ type: 'fields', fields });
  const findings = report.findings.filter((f) => f.severity !== 'pass').slice(0, MAX_FINDINGS);
  if (findings.length) blocks.push({ type: 'list', title: 'Findings', items: findings.map((f) => safeLine(`${MARK[f.severity]} ${f.message}`, 200)) });
  if (report.probes.length) blocks.push({ type: 'text', text: `Checks: ${report.probes.map((p) => safeLine(`probe ${p.kind} ${p.target}`, 80)).join(' · ')}` });
  const buttons: Button[] = top ? [startButton(top), { id: 'others', label: 'Other matches', style: 'default', value: encodeAction({ k: 'others' }) }] : [{ id: 'catalog', label: 'Browse playbooks', style: 'default', value: encodeAction({ k: 'catalog' }) }];
  // With a verdict to act on, the checks the headers suggest, one button each (run through the probe policy like any probe).
  if (top) for (const p of report.probes.slice(0, 3)) buttons.push({ id: `probe:${p.kind}`, label: safeLine(`Check ${p.kind} ${p.target}`, 60), style: 'default', value: encodeAction({ k: 'probe', c: p.kind, t: p.target }) });
  blocks.push({ type: 'buttons', buttons });
  const meta = top ? { playbook: top.playbook, verdict: report.verdict, score: top.score } : { verdict: report.verdict };
  return reply(thread, top ? `Headers: ${top.title} (${top.confidence})` : 'Headers: nothing wrong found', blocks, { kind: 'diagnosis', meta });
}

/**
 * The card the paste handler posts for a header paste, or undefined for any other paste (then the
 * diagnosis card applies). `result` is the matcher's result after headerMatchResult, so "Other
 * matches" and "Not this" keep working on the header diagnosis.
 */
export function headerCardFor(thread: string, text: string, result: MatchResult, catalog: Catalog): Reply | undefined {
  if (result.kind !== 'headers') return undefined;
  const report = analyzeHeaders(text, catalog);
  return hasHeaderEvidence(report) ? headerCard(thread, report, catalog) : undefined;
}
