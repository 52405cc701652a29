// A paste: match it, remember it for the thread, answer with the diagnosis card. Also the card's
// "other matches" and "not this" buttons, and browsing the catalog.
import { catalogCard } from '../cards/catalog.ts';
import { diagnosisCard, otherMatchesCard } from '../cards/diagnosis.ts';
import type { Turn } from '../turn.ts';

export async function handlePaste(turn: Turn, text: string): Promise<void> {
  if (!text.trim()) {
    await turn.say('Paste an error (NDR, queue LastError, SMTP reply, dialog text…) after `match`, or just paste it.');
    return;
  }
  const { matcher, memory, clock, catalog, logger } = turn.deps;
  const result = matcher.match(text);
  memory.rememberPaste(turn.thread, text, result, clock());
  const top = result.matches[0];
  logger.info({ thread: turn.thread, chars: text.length, kind: result.kind, verdict: result.verdict, playbook: top?.playbook, score: top?.score }, 'paste matched');
  await turn.post(diagnosisCard(turn.thread, text, result, catalog));
}

const FORGOTTEN = 'I no longer have that paste (ehlo restarted, or many threads came after it). Paste it again.';

export async function showOthers(turn: Turn): Promise<void> {
  const state = turn.deps.memory.get(turn.thread);
  if (!state.paste) return turn.say(FORGOTTEN);
  await turn.post(otherMatchesCard(turn.thread, state.paste.result, state.rejected));
}

export async function notThis(turn: Turn, playbookId: string): Promise<void> {
  const state = turn.deps.memory.get(turn.thread);
  if (!state.paste) return turn.say(FORGOTTEN);
  state.rejected.add(playbookId);
  const title = turn.deps.catalog.playbookById.get(playbookId)?.title ?? playbookId;
  turn.deps.logger.info({ thread: turn.thread, playbook: playbookId, kind: state.paste.result.kind }, 'diagnosis rejected by the user');
  await turn.say(`Noted: not “${title}”. Here is what else fits.`);
  await turn.post(otherMatchesCard(turn.thread, state.paste.result, state.rejected, 0));
}

export async function browse(turn: Turn, query: string): Promise<void> {
  await turn.post(catalogCard(turn.thread, turn.deps.catalog, query));
}
