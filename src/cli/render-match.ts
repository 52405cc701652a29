// A match result as a person reads it in a terminal.
import { snippet } from '../match/snippet.ts';
import type { MatchResult } from '../match/types.ts';

const BAND_MARK = { high: '●●●', medium: '●●○', low: '●○○' } as const;

export function renderMatch(text: string, r: MatchResult): string {
  const lines: string[] = [];
  const top = r.matches[0];
  if (r.verdict === 'none' || !top) {
    lines.push(`No confident match (paste kind: ${r.kind}).`);
    if (top) lines.push(`The closest was ${top.playbook} at ${top.score.toFixed(2)}, too weak to act on.`);
    lines.push('Try pasting the full NDR or queue error (with its codes), or browse the catalog: ehlo playbooks');
  } else {
    lines.push(r.verdict === 'ambiguous' ? `Two playbooks fit almost equally (paste kind: ${r.kind}):` : `Match (paste kind: ${r.kind}):`);
    lines.push(`  ${top.title}`);
    lines.push(`  playbook ${top.playbook} · score ${top.score.toFixed(2)} ${BAND_MARK[top.confidence]} ${top.confidence} · topics ${top.topics.join(', ')}`);
    lines.push('  Why:');
    for (const w of top.why) {
      const at = w.span ? ` ← "${snippet(text, w.span, 60)}" @${w.span[0]}` : '';
      lines.push(`    +${w.weight.toFixed(2)} ${w.evidence}${at}`);
    }
    const runnerUp = r.matches[1];
    if (runnerUp && runnerUp.score >= 0.05) lines.push(`  Runner-up: ${runnerUp.playbook} (${runnerUp.score.toFixed(2)}, ${runnerUp.confidence})`);
    if (r.question) lines.push(`  To tell them apart: ${r.question}`);
    lines.push(`  Read it: ehlo playbooks show ${top.playbook}`);
  }
  if (r.truncated) lines.push(`(Only the first ${r.truncated.analysedChars} of ${r.truncated.totalChars} characters were analysed.)`);
  return lines.join('\n');
}
