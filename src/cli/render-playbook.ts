// A playbook as a person reads it in a terminal.
import type { Catalog } from '../catalog/load.ts';
import type { Playbook, Step } from '../catalog/schema.ts';

function indent(text: string, pad: string): string {
  return text.trim().split('\n').map((l) => `${pad}${l}`).join('\n');
}

function renderStep(s: Step, n: number): string[] {
  const lines = [`  ${n}. ${s.title}  [${s.changes === false ? 'reads only' : `CHANGES (${s.changes.risk} risk): ${s.changes.what}`}]`];
  if (s.appliesTo) lines.push(`     only for:  ${s.appliesTo.map((v) => (v === 'Online' ? 'Exchange Online' : `Exchange ${v}`)).join(', ')} (skipped when the paste states only other versions)`);
  lines.push(indent(s.action, '     '));
  if (s.command) lines.push(`     ${s.command.shell}>`, indent(s.command.text, '       '));
  lines.push(`     healthy:   ${s.expect.healthy.trim()}`, `     unhealthy: ${s.expect.unhealthy.trim()}`);
  if (s.probe) lines.push(`     check:     ehlo probe ${s.probe.kind} ${s.probe.target}${s.probe.role ? ` (the ${s.probe.role.replace('-', ' ')})` : ''}`);
  if (s.proof) lines.push(`     proof:     asked at the end, resolved only when confirmed: ${s.proof.shows}`, indent(s.proof.confirm, '       '));
  const next = s.next ? Object.entries(s.next).map(([k, v]) => `${k} → ${v}`).join(', ') : '';
  if (next) lines.push(`     next:      ${next}`);
  return lines;
}

export function renderPlaybook(p: Playbook, catalog: Catalog): string {
  const lines = [
    p.title,
    `id ${p.id} · area ${p.area} · topics ${p.topics.join(', ')}`,
    `applies to: ${p.appliesTo.versions.join(', ')}`,
  ];
  if (p.appliesTo.differences) lines.push(indent(p.appliesTo.differences, '  '));
  lines.push('', 'What it means', indent(p.diagnosis.meaning, '  '), '', 'Usual causes (most likely first)');
  p.diagnosis.causes.forEach((c, i) => lines.push(`  ${i + 1}. ${c.text.trim()}`, indent(`how to tell: ${c.tell.trim()}`, '     ')));
  lines.push('', 'Steps');
  p.steps.forEach((s, i) => lines.push(...renderStep(s, i + 1), ''));
  lines.push('References');
  for (const r of p.references) lines.push(`  - ${r.title}${r.url ? ` <${r.url}>` : ''}${r.kb ? ` (KB${r.kb})` : ''}${r.rfc ? ` (RFC ${r.rfc})` : ''}${r.seed ? ` (${r.seed})` : ''}`);
  const intents = catalog.intents.filter((i) => i.playbook === p.id).map((i) => i.id);
  lines.push('', `Reached from intents: ${intents.join(', ') || '(none)'}`);
  return `${lines.join('\n')}\n`;
}
