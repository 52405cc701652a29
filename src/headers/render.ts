// A header report as a person reads it in a terminal: the message, the hops table with a delay bar
// per hop, authentication, the anti-spam verdicts, the findings and the playbook. Plain text: every
// piece of the paste shown back is cleaned of control characters and cut short.
import { cleanText } from '../match/snippet.ts';
import { formatDuration, type Hop } from './hops.ts';
import type { HeaderReport } from './report.ts';

const BAR_WIDTH = 20;
const MARK = { pass: '✓', info: '·', warn: '!', fail: '✗' } as const;

function cut(s: string | undefined, max: number): string {
  const c = cleanText(s ?? '');
  return c.length > max ? `${c.slice(0, max - 1)}…` : c;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** "█████░░░░░" proportional to the hop's share of the trip. */
export function delayBar(share: number | null, width = BAR_WIDTH): string {
  if (share === null) return ' '.repeat(width);
  const n = Math.max(0, Math.min(width, Math.round(share * width)));
  return '█'.repeat(n) + '░'.repeat(width - n);
}

function hopLine(h: Hop): string {
  const delay = h.delaySeconds === null ? '?' : formatDuration(h.delaySeconds);
  const share = h.share === null ? '' : `${Math.round(h.share * 100)}%`;
  const flags = [h.skew ? 'clock skew' : '', h.problems.length ? h.problems.join(',') : ''].filter(Boolean).join(' ');
  return `  ${pad(String(h.n), 3)} ${pad(cut(h.from, 34), 34)} → ${pad(cut(h.by, 34), 34)} ${pad(h.time ?? '?', 20)} ${pad(delay, 10)} ${delayBar(h.share)} ${pad(share, 4)}${flags ? ` ${flags}` : ''}`;
}

export function renderHeaderReport(r: HeaderReport): string {
  const out: string[] = [];
  const m = r.message;
  if (m.subject || m.from) out.push(`Message: ${cut(m.subject, 80) || '(no subject)'}${m.from ? ` — from ${cut(m.from, 60)}` : ''}`);
  out.push(`Hops (${r.hops.length}${r.totalSeconds !== null ? `, ${formatDuration(r.totalSeconds)} in all` : ''}), oldest first:`);
  if (r.hops.length) {
    out.push(`  ${pad('#', 3)} ${pad('from', 34)}   ${pad('by', 34)} ${pad('time (UTC)', 20)} ${pad('delay', 10)} ${pad('share of the trip', BAR_WIDTH)}`);
    for (const h of r.hops.slice(0, 60)) out.push(hopLine(h));
    if (r.hops.length > 60) out.push(`  … ${r.hops.length - 60} more hops`);
  } else out.push('  no Received rows');
  const a = r.authentication;
  out.push('Authentication:');
  out.push(`  SPF       ${a.spf ? `${a.spf.result}${a.spf.domain ? ` (${cut(a.spf.domain, 60)})` : ''}${a.spf.ip ? ` from ${a.spf.ip}` : ''}` : 'not stamped'}`);
  out.push(`  DKIM      ${a.dkim.length ? a.dkim.map((d) => `${d.result}${d.domain ? ` (${cut(d.domain, 60)})` : ''}`).join(', ') : 'not stamped'}`);
  out.push(`  DMARC     ${a.dmarc ? `${a.dmarc.result}${a.dmarc.action ? ` action=${a.dmarc.action}` : ''}${a.dmarc.domain ? ` (${cut(a.dmarc.domain, 60)})` : ''}` : 'not stamped'}`);
  out.push(`  compauth  ${a.compauth ? `${a.compauth.result}${a.compauth.reason ? ` reason ${a.compauth.reason}` : ''}: ${a.compauth.meaning}` : 'not stamped'}`);
  const s = r.antispam;
  if (s.fields.length) {
    out.push('Anti-spam verdicts:');
    const shown = s.fields.filter((f) => !f.header.endsWith('-Untrusted') && ['SFV', 'CAT', 'SCL', 'BCL', 'PCL', 'IPV', 'SFTY', 'SRV', 'CIP', 'CTRY', 'LANG', 'H', 'PTR', 'DIR', 'DEST', 'OFR'].includes(f.name.toUpperCase()) && f.value !== '');
    for (const f of shown.slice(0, 30)) out.push(`  ${pad(`${f.name}:${cut(f.value, 40)}`, 32)} ${cut(f.meaning, 110)}`);
  }
  if (r.gateways.length) {
    out.push('Gateways:');
    for (const g of r.gateways.slice(0, 5)) out.push(`  ${cut(g.name, 60)}${g.hops.length ? ` (hops ${g.hops.join(', ')})` : ''}${g.headers.length ? `: ${g.headers.map((h) => `${cut(h.name, 40)}: ${cut(h.value, 60)}`).join(' · ')}` : ''}`);
  }
  out.push('Findings:');
  const findings = r.findings.filter((f) => f.severity !== 'pass' || r.findings.length < 12);
  if (!findings.length) out.push('  none');
  for (const f of findings.slice(0, 25)) out.push(`  ${MARK[f.severity]} ${cut(f.message, 400)}`);
  const top = r.matches[0];
  if (r.verdict === 'none' || !top) out.push(r.findings.some((f) => f.severity === 'warn' || f.severity === 'fail') ? 'Diagnosis: no filtering verdict or slow hop to act on; the warnings above are worth a look.' : 'Diagnosis: nothing wrong in these headers (no filtering verdict, no slow hop).');
  else {
    out.push(`Diagnosis${r.verdict === 'ambiguous' ? ' (two fit almost equally)' : ''}: ${top.title}`);
    out.push(`  playbook ${top.playbook} · score ${top.score.toFixed(2)} ${top.confidence} · topics ${top.topics.join(', ')}`);
    for (const other of r.matches.slice(1, 3)) out.push(`  also: ${other.title} (${other.score.toFixed(2)})`);
    out.push(`  Read it: ehlo playbooks show ${top.playbook}`);
  }
  if (r.probes.length) out.push(`Checks to run: ${r.probes.map((p) => `ehlo probe ${p.kind} ${p.target}`).join(' · ')}`);
  if (r.truncated) out.push(`(Only the first ${r.truncated.analysedChars} of ${r.truncated.totalChars} characters were read.)`);
  return out.map((l) => l.trimEnd()).join('\n');
}
