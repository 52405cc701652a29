// The diagnosis card for a paste: the top match with the evidence that fired (shown back safely),
// confidence and the runner-up, with buttons to start, see the others, or say "not this".
// `ambiguous` asks its telling-apart question; `none` says so and offers the catalog.
import type { Catalog } from '../../catalog/load.ts';
import { snippet } from '../../match/snippet.ts';
import type { Match, MatchResult, OtherProvider } from '../../match/types.ts';
import { encodeAction } from '../actions.ts';
import { neutraliseMentions, safeLine } from '../../text/neutralise.ts';
import { reply, type Block, type Button, type Reply } from '../reply.ts';
import { band, shortTitle, startButton } from './parts.ts';
import { describeValues, targetsFromSignals } from '../targets.ts';
import { doesNotApplyNote } from '../../match/version.ts';

const MAX_WHY = 5;


/** "status code 5.4.312 — “550 5.4.312 Message expired”". */
export function evidenceLines(text: string, m: Match): string[] {
  return m.why.slice(0, MAX_WHY).map((w) => {
    const seen = w.span ? neutraliseMentions(snippet(text, w.span, 70)) : '';
    return seen ? `${safeLine(w.evidence, 120)} — “${seen}”` : safeLine(w.evidence, 120);
  });
}


const OTHERS: Button = { id: 'others', label: 'Other matches', style: 'default', value: encodeAction({ k: 'others' }) };
const BROWSE: Button = { id: 'catalog', label: 'Browse playbooks', style: 'default', value: encodeAction({ k: 'catalog' }) };

function notThis(m: Match): Button {
  return { id: `not-this:${m.playbook}`, label: 'Not this', style: 'default', value: encodeAction({ k: 'not-this', p: m.playbook }) };
}

function footer(result: MatchResult): Block[] {
  const blocks: Block[] = [];
  const found = describeValues(targetsFromSignals(result.signals), {});
  if (found.length) blocks.push({ type: 'text', text: `Targets for checks: ${found.join(', ')}.` });
  if (result.truncated) blocks.push({ type: 'text', text: `Only the first ${result.truncated.analysedChars.toLocaleString('en')} of ${result.truncated.totalChars.toLocaleString('en')} characters were analysed.`, tone: 'warning' });
  return blocks;
}

/** The warning when the paste states a version the playbook is not written for. */
function versionWarning(result: MatchResult, m: Match, catalog: Catalog): Block[] {
  const playbook = catalog.playbookById.get(m.playbook);
  if (m.applies !== false || !result.versions?.length || !playbook) return [];
  return [{ type: 'text', text: doesNotApplyNote(result.versions, playbook.appliesTo.versions), tone: 'warning' }];
}

function answerButtons(result: MatchResult): Button[] {
  return (result.answers ?? []).map((a, i) => ({
    id: `answer:${i}`,
    label: a.label,
    style: i === 0 ? 'primary' : 'default',
    value: encodeAction({ k: 'settle', q: result.questionId ?? '', a: i }),
  }));
}

function matchCard(thread: string, text: string, result: MatchResult, top: Match, catalog: Catalog): Reply {
  const playbook = catalog.playbookById.get(top.playbook);
  const runnerUp = result.matches[1];
  const blocks: Block[] = [
    { type: 'header', text: `Diagnosis: ${top.title}` },
    ...(playbook ? [{ type: 'text' as const, text: playbook.summary.trim() }] : []),
    ...versionWarning(result, top, catalog),
    { type: 'fields', fields: [{ label: 'Confidence', value: band(top) }, { label: 'Paste', value: result.kind }, { label: 'Playbook', value: top.playbook }] },
    { type: 'list', title: 'Why', items: evidenceLines(text, top) },
  ];
  if (runnerUp) blocks.push({ type: 'text', text: `Runner-up: ${runnerUp.title} — ${band(runnerUp)}` });
  blocks.push(...footer(result), { type: 'buttons', buttons: [startButton(top), OTHERS, notThis(top)] });
  return reply(thread, `Diagnosis: ${top.title} (${top.confidence})`, blocks, { kind: 'diagnosis', meta: { playbook: top.playbook, verdict: result.verdict, score: top.score } });
}

function ambiguousCard(thread: string, text: string, result: MatchResult, catalog: Catalog): Reply {
  const [first, second] = result.matches;
  const pair = [first, second].filter((m): m is Match => Boolean(m));
  const answers = answerButtons(result);
  const howToTell = result.questionId ? catalog.questions?.find((q) => q.id === result.questionId)?.howToTell : undefined;
  const blocks: Block[] = [
    { type: 'header', text: 'Two playbooks fit almost equally' },
    { type: 'text', text: result.question ?? 'Which of these describes what you see?' },
    ...(howToTell ? [{ type: 'text' as const, text: `How to find out: ${howToTell.trim()}` }] : []),
    ...pair.map((m, i): Block => ({ type: 'list', title: `${i + 1}. ${m.title} — ${band(m)}`, items: evidenceLines(text, m).slice(0, 3) })),
    ...(first ? versionWarning(result, first, catalog) : []),
    ...footer(result),
    { type: 'buttons', buttons: [...answers, ...pair.map((m, i) => startButton(m, `Start ${i + 1}: ${shortTitle(m.title)}`, !answers.length && i === 0)), OTHERS] },
  ];
  return reply(thread, `Ambiguous: ${pair.map((m) => m.playbook).join(' or ')}`, blocks, { kind: 'diagnosis', meta: { ...(first && { playbook: first.playbook, score: first.score }), verdict: result.verdict } });
}

/** Why a sign-in refused by another provider's submission service gets no Exchange playbook. */
export function otherProviderText(p: OtherProvider): string {
  const where = p.host ? ` (${safeLine(p.host, 120)})` : '';
  return `This reply came from ${p.name}'s SMTP service${where}, not from Exchange: its sign-in rules apply, not an Exchange playbook. See ${p.docs}`;
}

function noneCard(thread: string, result: MatchResult): Reply {
  const blocks: Block[] = [
    { type: 'header', text: 'No playbook matches this paste' },
    ...(result.otherProvider ? [{ type: 'text' as const, text: otherProviderText(result.otherProvider) }] : []),
    { type: 'text', text: `Nothing in the catalog fits well enough to act on (paste kind: ${result.kind}). Paste the full NDR or queue error with its codes, or search the catalog: playbooks <words>.` },
    ...footer(result),
    { type: 'buttons', buttons: [BROWSE] },
  ];
  return reply(thread, 'No playbook matches this paste', blocks, { kind: 'diagnosis', meta: { verdict: result.verdict } });
}


export function diagnosisCard(thread: string, text: string, result: MatchResult, catalog: Catalog): Reply {
  const top = result.matches[0];
  if (result.verdict === 'none' || !top) return noneCard(thread, result);
  if (result.verdict === 'ambiguous') return ambiguousCard(thread, text, result, catalog);
  return matchCard(thread, text, result, top, catalog);
}

/** The diagnosis after a person answered the telling-apart question: the playbook it settled on. */
export function settledCard(thread: string, kind: string, top: Match, answer: string, catalog: Catalog): Reply {
  const playbook = catalog.playbookById.get(top.playbook);
  const blocks: Block[] = [
    { type: 'header', text: `Diagnosis: ${top.title}` },
    ...(playbook ? [{ type: 'text' as const, text: playbook.summary.trim() }] : []),
    { type: 'text', text: `Settled by your answer: ${safeLine(answer, 120)}.` },
    { type: 'fields', fields: [{ label: 'Confidence', value: band(top) }, { label: 'Paste', value: kind }, { label: 'Playbook', value: top.playbook }] },
    ...(top.why.length ? [{ type: 'list' as const, title: 'Why', items: top.why.slice(0, MAX_WHY).map((w) => safeLine(w.evidence, 160)) }] : []),
    { type: 'buttons', buttons: [startButton(top), OTHERS, notThis(top)] },
  ];
  return reply(thread, `Diagnosis: ${top.title} (settled by an answer)`, blocks, { kind: 'diagnosis', meta: { playbook: top.playbook, verdict: 'match', score: top.score } });
}

/** The other matches of a paste, each with a start button; `skip` leaves out playbooks already dismissed. */
export function otherMatchesCard(thread: string, result: Pick<MatchResult, 'verdict'> & { matches: ReadonlyArray<Pick<Match, 'playbook' | 'title' | 'score' | 'confidence'>> }, skip: ReadonlySet<string>, from = 1): Reply {
  const others = result.matches.slice(from).filter((m) => !skip.has(m.playbook) && m.score >= 0.05);
  if (others.length === 0) {
    return reply(thread, 'No other matches', [
      { type: 'text', text: 'No other playbook fits this paste. Search the catalog: playbooks <words>.' },
      { type: 'buttons', buttons: [BROWSE] },
    ], { kind: 'matches' });
  }
  const weak = result.verdict === 'none' ? ' (all weak: none is a diagnosis)' : '';
  return reply(thread, `${others.length} other matches`, [
    { type: 'header', text: `Other matches${weak}` },
    { type: 'list', items: others.map((m, i) => `${i + 1}. ${m.title} — ${band(m)}`) },
    { type: 'buttons', buttons: [...others.map((m, i) => startButton(m, `Start ${i + 1}: ${shortTitle(m.title, 32)}`, false)), BROWSE] },
  ], { kind: 'matches' });
}
