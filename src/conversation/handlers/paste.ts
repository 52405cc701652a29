// A paste: match it (a header block: analyse it), keep its matches in the thread's state, answer with
// the diagnosis card (or the header card). Also the
// card's "other matches" and "not this" buttons, and browsing the catalog.
import { catalogCard } from '../cards/catalog.ts';
import { diagnosisCard, otherMatchesCard, settledCard } from '../cards/diagnosis.ts';
import { settle } from '../../catalog/settle.ts';
import type { Confidence, MatchResult } from '../../match/types.ts';
import { headerCardFor } from '../cards/headers.ts';
import { diagnose } from '../../headers/diagnose.ts';
import { pasteState } from '../context.ts';
import type { PasteState } from '../state/thread-state.ts';
import type { Turn } from '../turn.ts';

/** A paste's diagnosis and what the thread keeps of it, worked out before the thread was read. */
interface Foreseen {
  text: string;
  result: MatchResult;
  /** Not worked out for a paste nothing matched (chatter ehlo was not addressed in is dropped then). */
  paste?: PasteState;
}

const foreseen = new WeakMap<Turn, Foreseen>();

/**
 * Diagnose a paste ahead, before the thread's state is read (while the thread lock is asked for,
 * core.ts): as if the thread had stated no Exchange version. handlePaste uses it when that holds and
 * the text is the same, and works it out again otherwise.
 */
export function foreseePaste(turn: Turn, text: string): void {
  if (!text.trim()) return;
  const result = diagnose(turn.deps.matcher, text);
  foreseen.set(turn, { text, result, ...(result.verdict !== 'none' && { paste: pasteState(text, result, turn.deps.clock()) }) });
}

export async function handlePaste(turn: Turn, text: string, options: { onlyIfMatched?: boolean } = {}): Promise<void> {
  if (!text.trim()) {
    if (!options.onlyIfMatched) await turn.say('Paste an error (NDR, queue LastError, SMTP reply, dialog text…) after `match`, or just paste it.');
    return;
  }
  const { matcher, clock, catalog, logger } = turn.deps;
  // A message header block gets the header analysis (hops, verdicts) and its card; anything else the
  // matcher's. A version the thread stated before counts for a paste that states none.
  const carried = (await turn.state.read()).paste?.versions;
  const ahead = foreseen.get(turn);
  foreseen.delete(turn);
  const usable = ahead?.text === text && !carried?.length ? ahead : undefined;
  const result = usable?.result ?? diagnose(matcher, text, carried?.length ? { versions: carried } : undefined);
  // Chatter ehlo was not addressed in: no answer, and the thread's last paste stays as it was.
  if (options.onlyIfMatched && result.verdict === 'none') return;
  const paste = usable?.paste ?? pasteState(text, result, clock());
  const top = result.matches[0];
  logger.info({ thread: turn.thread, chars: text.length, kind: result.kind, verdict: result.verdict, playbook: top?.playbook, score: top?.score }, 'paste matched');
  // Recorded first, so the entry goes in the same transaction as the state it describes.
  await turn.audit('paste-matched', { detail: { chars: text.length, kind: result.kind, verdict: result.verdict, playbook: top?.playbook ?? '', score: top?.score ?? 0 } });
  await turn.state.write((d) => {
    d.paste = paste;
    d.rejected = [];
    d.pending = undefined;
  });
  await turn.post(headerCardFor(turn.thread, text, result, catalog) ?? diagnosisCard(turn.thread, text, result, catalog));
}

const FORGOTTEN = 'There is no paste in this thread to show other matches for. Paste the error again.';

export async function showOthers(turn: Turn): Promise<void> {
  const { paste, rejected } = await turn.state.read();
  if (!paste) return turn.say(FORGOTTEN);
  await turn.post(otherMatchesCard(turn.thread, paste, new Set(rejected)));
}

export async function notThis(turn: Turn, playbookId: string): Promise<void> {
  const doc = await turn.state.read();
  const paste = doc.paste;
  if (!paste) return turn.say(FORGOTTEN);
  const saved = await turn.state.write((d) => {
    if (!d.rejected.includes(playbookId) && d.rejected.length < 50) d.rejected.push(playbookId);
  });
  const title = turn.deps.catalog.playbookById.get(playbookId)?.title ?? playbookId;
  turn.deps.logger.info({ thread: turn.thread, playbook: playbookId, kind: paste.kind }, 'diagnosis rejected by the user');
  await turn.say(`Noted: not “${title}”. Here is what else fits.`);
  await turn.post(otherMatchesCard(turn.thread, paste, new Set(saved.rejected), 0));
}

export async function browse(turn: Turn, query: string): Promise<void> {
  await turn.post(catalogCard(turn.thread, turn.deps.catalog, query));
}

/**
 * An answer button of the telling-apart question: re-rank the thread's last paste (the settled
 * playbook first, the other of the pair last) and show the diagnosis it settles on.
 */
export async function answerQuestion(turn: Turn, questionId: string, index: number): Promise<void> {
  const doc = await turn.state.read();
  const paste = doc.paste;
  if (!paste) return turn.say(FORGOTTEN);
  const q = turn.deps.catalog.questions?.find((x) => x.id === questionId);
  if (!q || paste.questionId !== questionId) return turn.say('That question belongs to an earlier paste; answer the one on the latest diagnosis, or paste the error again.');
  const answer = q.answers[index];
  if (!answer) return turn.say('That is not one of the answers to this question.');
  if (!answer.settles) {
    await turn.say(`Noted: you don't know yet. ${q.howToTell.trim()} Then press the answer, or start either playbook.`);
    return;
  }
  const settled = settle(paste.matches, q, index, (playbook, score) => {
    const p = turn.deps.catalog.playbookById.get(playbook);
    return { playbook, title: p?.title ?? playbook, topics: p?.topics ?? [], score, confidence: band(score), intent: '', why: [] };
  }).map((m, n) => (n === 0 ? { ...m, confidence: band(m.score), why: [{ evidence: `answer: ${answer.label}`.slice(0, 200), span: null, weight: 0 }, ...m.why.filter((w) => !w.evidence.endsWith(`question ${q.id})`))].slice(0, 12) } : m));
  const saved = await turn.state.write((d) => {
    if (!d.paste) return;
    d.paste = { ...d.paste, verdict: 'match', matches: settled, question: undefined, questionId: undefined };
  });
  const top = saved.paste?.matches[0];
  if (!top) return turn.say(FORGOTTEN);
  turn.deps.logger.info({ thread: turn.thread, question: q.id, answer: index, playbook: top.playbook }, 'telling-apart question answered');
  await turn.post(settledCard(turn.thread, paste.kind, top, answer.label, turn.deps.catalog));
}

function band(score: number): Confidence {
  return score >= 0.75 ? 'high' : score >= 0.5 ? 'medium' : 'low';
}
