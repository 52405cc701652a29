// Running the rules of rules.ts over a parsed header block: each rule goes to the function of its
// kind; findings come back worst first (fail, warn, info, pass), in rule order within a severity.
import type { HeaderFinding, Severity } from './findings-types.ts';
import { RULE_KINDS, type RuleInput } from './rule-kinds.ts';
import { HEADER_RULES, type HeaderRule } from './rules.ts';

const ORDER: Record<Severity, number> = { fail: 0, warn: 1, info: 2, pass: 3 };

export function runRules(input: RuleInput, rules: readonly HeaderRule[] = HEADER_RULES): HeaderFinding[] {
  const out: HeaderFinding[] = [];
  const outbound = input.antispam.dir === 'OUT';
  for (const rule of rules) {
    const kind = RULE_KINDS[rule.kind];
    if (!kind) continue;
    for (const f of kind(rule, input)) {
      // A sending tenant's outbound stamp (DIR:OUT) says nothing of how the recipient filtered it.
      const verdictRule = rule.kind === 'antispam-value' || rule.kind === 'antispam-range';
      if (verdictRule && input.antispamTrusted === false) {
        // Not written by Microsoft (no Microsoft hop): shown, never acted on.
        out.push({ severity: 'info', code: f.code, message: `not stamped by Microsoft: ${f.message}`, span: f.span });
      } else if (outbound && verdictRule && rule.field !== 'dest') {
        out.push({ severity: 'info', code: f.code, message: `outbound stamp of the sending organization: ${f.message}`, span: f.span });
      } else out.push(f);
    }
  }
  return out.map((f, i) => ({ f, i })).sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i).map((x) => x.f);
}

/** Topic → combined weight of the findings that argue for it: 1 - Π(1 - w). */
export function topicScores(findings: readonly HeaderFinding[]): Map<string, { score: number; findings: HeaderFinding[] }> {
  const scores = new Map<string, { score: number; findings: HeaderFinding[] }>();
  for (const f of findings) {
    if (!f.topic || !f.weight) continue;
    const cur = scores.get(f.topic) ?? { score: 0, findings: [] };
    cur.score = 1 - (1 - cur.score) * (1 - f.weight);
    cur.findings.push(f);
    scores.set(f.topic, cur);
  }
  return scores;
}
