// A match result as a person reads it in a terminal: the same diagnosis card the console and the
// chat channels show (the header card for a header paste), rendered as plain text, with the
// buttons' commands spelled out, since a one-shot command has nothing to press. Loaded only for
// human output, so `--json` and `--jsonl` stay as light as the matcher; the header analysis and its
// card only for a header paste.
import type { Catalog } from '../catalog/load.ts';
import { makeStyle } from '../channels/console/ansi.ts';
import { renderReply } from '../channels/console/render.ts';
import { diagnosisCard } from '../conversation/cards/diagnosis.ts';
import { numberRepliesLocally, type Reply } from '../conversation/reply.ts';
import type { MatchResult } from '../match/types.ts';

const CLI_THREAD = 'cli:local:match';

export async function renderMatch(text: string, r: MatchResult, catalog: Catalog, width = 100): Promise<string> {
  // The card is printed and forgotten: its id need not be random (see numberRepliesLocally).
  numberRepliesLocally('cli');
  const headers = r.kind === 'headers' ? (await import('../conversation/cards/headers.ts')).headerCardFor(CLI_THREAD, text, r, catalog) : undefined;
  const card: Reply = headers ?? diagnosisCard(CLI_THREAD, text, r, catalog);
  const shown: Reply = { ...card, blocks: card.blocks.filter((b) => b.type !== 'buttons') };
  const lines = renderReply(shown, { style: makeStyle(false), width });
  const top = r.matches[0];
  if (r.answers?.length) lines.push('  Answer it: ehlo match (the same paste) --answer N, where N is', ...r.answers.map((a, i) => `    ${i + 1}  ${a.label}`));
  if (r.verdict !== 'none' && top) lines.push(`  Read it: ehlo playbooks show ${top.playbook} · weights and spans: ehlo match --json`);
  else lines.push('  Browse the catalog: ehlo playbooks [words]');
  return lines.join('\n');
}
