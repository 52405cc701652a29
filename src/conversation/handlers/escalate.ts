// Escalation to on-call. `escalate [why]` (a step's button, the command, /ehlo escalate) asks first
// (it pages people) and says who will be paged; the confirmation marks the walkthrough escalated (it
// goes on), opens a thread in the configured on-call channel with the handoff packet, links the two
// threads both ways, and pages. The on-call thread is opened once per escalation: the confirmation
// carries the session version it was shown on (one idempotency key for every press of it, and for
// platform retries), the thread lock orders concurrent presses, and the origin thread's state says
// when the thread is already open. Pages are claimed in the origin thread's state before they are
// sent (trigger, acknowledge when on-call first acts, resolve when the walkthrough ends), so each is
// sent once; a pager that fails is reported in both threads and the escalation stands.
import { encodeAction } from '../actions.ts';
import { contextOf } from '../context.ts';
import { notice, reply } from '../reply.ts';
import type { EscalationLink, ThreadDoc } from '../state/thread-state.ts';
import { ThreadHandle } from '../state/thread.ts';
import type { Turn } from '../turn.ts';
import { packetCard } from '../../escalation/packet.ts';
import { dedupKeyOf, type Page, type PageEvent, type PageResult } from '../../escalation/pager.ts';
import { PacketRedactor } from '../../escalation/redaction.ts';
import { handoffCard } from '../cards/escalation.ts';
import { eventLine } from '../cards/outcome.ts';
import { postStep } from './outcome.ts';
import { safeLine, who } from '../../text/neutralise.ts';
import { clock } from '../../text/time.ts';
import type { Session } from '../../walkthrough/session.ts';
import { LIMITS } from '../../walkthrough/session.ts';

/** The session escalation acts on: the thread's active one, or one the playbook ended as escalated. */
async function escalatable(turn: Turn): Promise<Session | undefined> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'unavailable') {
    await turn.say(lookup.message, 'danger');
    return undefined;
  }
  if (lookup.kind === 'not-found') {
    await turn.say('There is no walkthrough in this thread to escalate. Paste an error to get a playbook, then start it.');
    return undefined;
  }
  const s = lookup.session;
  if (s.status === 'active' || (s.status === 'escalated' && !s.escalation) || s.escalation) return s;
  await turn.say(`The last walkthrough here (${s.playbookId}) is ${s.status}; there is nothing to escalate.`);
  return undefined;
}

function pagedWords(turn: Turn): string[] {
  return turn.deps.oncall?.whoIsPaged(turn.thread) ?? [];
}

/** `escalate [why]` or the Escalate button: ask first, saying who will be paged. */
export async function askEscalation(turn: Turn, reason: string): Promise<void> {
  const session = await escalatable(turn);
  if (!session) return;
  if (!(await turn.allowed('escalate', { session: session.id }))) return;
  if (session.escalation) return alreadyEscalated(turn, session);
  const why = reason.trim().slice(0, LIMITS.reasonText);
  if (!turn.deps.escalation.confirm) return escalate(turn, { s: session.id, v: session.version, r: why || undefined });
  const paged = pagedWords(turn);
  const target = paged.length ? `This opens an on-call thread and pages: ${paged.join('; ')}.` : 'No on-call channel or pager is configured for this platform: the handoff packet will be posted here and nobody is paged.';
  const button = { id: 'escalate-confirm', label: 'Escalate and page on-call', style: 'danger' as const, value: encodeAction({ k: 'escalate', s: session.id, v: session.version, ...(why && { r: why.slice(0, 300) }) }), confirm: { title: 'Page on-call?', text: paged.join('; ') || 'Nobody is paged.' } };
  await turn.post(
    reply(turn.thread, 'Escalate to on-call?', [
      { type: 'header', text: 'Escalate to on-call?' },
      { type: 'text', text: `${target} The walkthrough goes on here, marked escalated.${why ? ` Reason: ${safeLine(why, 300)}` : ''}` },
      { type: 'buttons', buttons: [button] },
    ], { kind: 'question' }),
  );
}

/** The confirmation was pressed (or no confirmation is configured). */
export async function escalate(turn: Turn, p: { s: string; v: number; r?: string }): Promise<void> {
  if (!(await turn.allowed('escalate', { session: p.s }))) return;
  const outcome = await turn.deps.walkthroughs.act({ target: { sessionId: p.s }, action: { type: 'escalate', reason: p.r }, actor: turn.event.actor, idempotencyKey: `escalate:${p.s}:${p.v}` });
  if (outcome.kind === 'not-found' || outcome.kind === 'unavailable') return turn.say(outcome.message, outcome.kind === 'unavailable' ? 'danger' : 'warning');
  if (outcome.kind === 'rejected' || outcome.replayed) {
    const session = outcome.session ?? (await escalatable(turn));
    if (session?.escalation) return alreadyEscalated(turn, session);
    if (outcome.kind === 'rejected') return turn.say(outcome.rejection.message, 'warning');
    return;
  }
  const { session } = outcome;
  const playbook = turn.deps.catalog.playbookById.get(session.playbookId);
  await turn.audit('escalate', { session: session.id, step: session.cursor ?? undefined, detail: { reason: p.r ?? '' } });
  // Lines everyone in the thread must see: a warning tone after a press is the presser's alone on Slack.
  await turn.say(outcome.events.map((e) => eventLine(e, playbook)).join('\n'), 'success');
  await openOnCall(turn, session);
  if (outcome.view) await postStep(turn, session, outcome.view);
}

/** Already escalated: point at the on-call thread, or open it when an earlier attempt failed. */
async function alreadyEscalated(turn: Turn, session: Session): Promise<void> {
  const link = (await turn.state.read()).escalation;
  const esc = session.escalation;
  const by = esc ? ` by ${who(esc.by)} at ${clock(esc.at)}` : '';
  if (link?.role === 'origin' && link.sessionId === session.id && (link.state === 'open' || link.state === 'none')) {
    return turn.say(`Already escalated${by}.${link.otherLink ? ` On-call thread: ${link.otherLink}` : ''}`);
  }
  if (turn.via) return turn.say(`Already escalated${by}; this is its on-call thread.`);
  await turn.say(`Escalated${by}, but the on-call thread is not open yet; trying again.`, 'info');
  await openOnCall(turn, session);
}

async function writeLink(turn: Turn, change: (l: EscalationLink) => void, sessionId: string): Promise<ThreadDoc> {
  return turn.state.write((d) => {
    const l: EscalationLink = d.escalation?.role === 'origin' && d.escalation.sessionId === sessionId ? d.escalation : { role: 'origin', sessionId };
    change(l);
    d.escalation = l;
  });
}

async function openOnCall(turn: Turn, session: Session): Promise<void> {
  const { deps } = turn;
  const doc = await turn.state.read();
  if (doc.escalation?.role === 'origin' && doc.escalation.sessionId === session.id && doc.escalation.state === 'open') return;
  const target = deps.oncall?.targetFor(turn.thread);
  const ctx = await contextOf(turn.state, session);
  if (!target || !deps.oncall) {
    await writeLink(turn, (l) => (l.state = 'none'), session.id);
    const summary = deps.walkthroughs.summary(session);
    if (summary) await turn.post(handoffCard(turn.thread, { session, summary, context: ctx }));
    await turn.say('⚠ No on-call channel is configured for this platform, so nobody was paged: the handoff packet is above. The walkthrough goes on here, marked escalated.', 'info');
    await startPages(turn, session, 'trigger');
    return;
  }
  const redactor = new PacketRedactor(deps.escalation.redact, doc.escalation?.redaction ?? []);
  const originLink = await deps.oncall.linkTo(turn.thread);
  const packet = packetCard('', { session, playbook: deps.catalog.playbookById.get(session.playbookId), context: ctx, question: doc.paste?.question, originLink, paged: pagedWords(turn), now: deps.clock() }, redactor);
  await writeLink(turn, (l) => {
    l.state = 'opening';
    l.redaction = redactor.entries;
  }, session.id);
  let opened;
  try {
    opened = await deps.oncall.open(target, packet, turn.thread);
  } catch (err) {
    const message = safeLine(err instanceof Error ? err.message : String(err), 300);
    deps.logger.warn({ err, thread: turn.thread, target: target.where }, 'could not open the on-call thread');
    await writeLink(turn, (l) => {
      l.state = 'failed';
      l.error = message;
    }, session.id);
    await turn.audit('oncall-thread-opened', { session: session.id, detail: { ok: false, where: target.where, error: message } });
    await turn.say(`⚠ The walkthrough is marked escalated, but the on-call thread could not be opened in ${target.describe} (${message}). Type escalate again to retry; paging goes ahead.`, 'info');
    await startPages(turn, session, 'trigger');
    return;
  }
  await writeLink(turn, (l) => {
    l.state = 'open';
    l.other = opened.thread;
    if (opened.link) l.otherLink = opened.link;
    l.error = undefined;
  }, session.id);
  // The on-call thread's side of the link: events there act on this walkthrough.
  const far = new ThreadHandle(deps.threads, opened.thread, deps.clock, deps.logger);
  await far.write((d) => {
    d.escalation = { role: 'oncall', sessionId: session.id, other: turn.thread, ...(originLink && { otherLink: originLink }) };
  });
  await turn.audit('oncall-thread-opened', { session: session.id, detail: { ok: true, thread: opened.thread, link: opened.link ?? '' } });
  deps.logger.info({ thread: turn.thread, oncall: opened.thread, session: session.id }, 'on-call thread opened');
  await turn.say(`On-call thread opened in ${target.describe}${opened.link ? `: ${opened.link}` : ''}. The walkthrough goes on here, marked escalated; what happens in one thread shows in the other.`, 'success');
  await startPages(turn, session, 'trigger');
}

function pageOf(turn: Turn, session: Session, event: PageEvent, link: EscalationLink | undefined): Page {
  const title = turn.deps.catalog.playbookById.get(session.playbookId)?.title ?? session.playbookId;
  const links = [link?.otherLink ? { href: link.otherLink, text: 'on-call thread' } : undefined].filter((l): l is { href: string; text: string } => Boolean(l));
  const reason = session.escalation?.reason;
  return {
    event,
    dedupKey: dedupKeyOf(session.id),
    summary: `ehlo escalation: ${title}${reason ? ` — ${safeLine(reason, 200)}` : ''}`.slice(0, 1000),
    source: turn.thread,
    links,
    details: { session: session.id, playbook: session.playbookId, escalatedBy: session.escalation?.by.name ?? '', step: session.cursor ?? '' },
    at: turn.deps.clock().toISOString(),
  };
}

/**
 * Claim one page event for every pager that should get it (trigger: not yet triggered; acknowledge
 * and resolve: triggered, not yet sent), then send after the event let go of the thread, and record
 * and report the results holding it again.
 */
export async function startPages(turn: Turn, session: Session, event: PageEvent): Promise<void> {
  const oncall = turn.deps.oncall;
  if (!oncall || !oncall.pagers.names.length) return;
  const claimed: string[] = [];
  const at = turn.deps.clock().toISOString();
  const doc = await writeLink(turn, (l) => {
    l.pages ??= {};
    for (const name of oncall.pagers.names) {
      const p = (l.pages[name] ??= {});
      if (p[event]) continue;
      if (event !== 'trigger' && !p.trigger) continue;
      p[event] = { at, status: 'sending' };
      claimed.push(name);
    }
  }, session.id);
  if (!claimed.length) return;
  const page = pageOf(turn, session, event, doc.escalation);
  turn.defer(() =>
    oncall.serial(page.dedupKey, async () => {
      const results: PageResult[] = await Promise.all(claimed.map((name) => oncall.pagers.send(name, page)));
      await turn.relock(async () => {
        await writeLink(turn, (l) => {
          for (const r of results) {
            const p = l.pages?.[r.pager];
            if (p) p[event] = { at: turn.deps.clock().toISOString(), status: r.ok ? 'sent' : 'failed', ...(!r.ok && { error: r.error.slice(0, 500) }) };
          }
        }, session.id);
        const action = { trigger: 'page-sent', acknowledge: 'page-acknowledged', resolve: 'page-resolved' } as const;
        for (const r of results) await turn.audit(r.ok ? action[event] : 'page-failed', { session: session.id, detail: { pager: r.pager, event, attempts: r.attempts, ...(!r.ok && { error: r.error }) } });
        const ok = results.filter((r) => r.ok).map((r) => r.pager);
        const failed = results.filter((r): r is Extract<PageResult, { ok: false }> => !r.ok);
        const verb = { trigger: 'Paged', acknowledge: 'Acknowledged the page in', resolve: 'Resolved the page in' }[event];
        const lines = [ok.length ? `${verb} ${ok.join(', ')}.` : '', ...failed.map((f) => `⚠ Could not ${event} ${f.pager} after ${f.attempts} attempt(s): ${safeLine(f.error, 200)}. The escalation stands; page on-call another way if it matters.`)].filter(Boolean);
        const text = lines.join(' ');
        await turn.say(text, failed.length ? 'info' : 'success');
        await mirror(turn, text);
      });
    }),
  );
}

/** An event from the on-call thread: the first one acknowledges the page. */
export async function onCallActed(turn: Turn): Promise<void> {
  if (!turn.via || turn.event.actor.id === 'ehlo' || !turn.deps.oncall?.pagers.names.length) return;
  const link = (await turn.state.read()).escalation;
  if (link?.role !== 'origin' || !link.pages) return;
  const pending = Object.values(link.pages).some((p) => p.trigger && !p.acknowledge);
  if (!pending) return;
  const lookup = await turn.deps.walkthroughs.get({ sessionId: link.sessionId });
  if (lookup.kind === 'found') await startPages(turn, lookup.session, 'acknowledge');
}

/** The walkthrough ended (finished or stopped): resolve the page. */
export async function walkthroughEnded(turn: Turn, session: Session): Promise<void> {
  if (session.status === 'active' || !session.escalation) return;
  await startPages(turn, session, 'resolve');
}

/** A line in the other thread of an escalation: what happened here shows there. */
export async function mirror(turn: Turn, text: string): Promise<void> {
  const oncall = turn.deps.oncall;
  if (!oncall || !text) return;
  let other: string | undefined;
  let label = '';
  if (turn.via) {
    other = turn.thread;
    label = 'In the on-call thread';
  } else {
    const link = (await turn.state.read()).escalation;
    if (link?.role === 'origin' && link.state === 'open' && link.other) {
      other = link.other;
      label = 'In the origin thread';
    }
  }
  if (!other) return;
  const sink = oncall.sinkFor(other);
  if (!sink) return;
  try {
    await sink.post(notice(other, `${label}: ${text}`.slice(0, 3000)));
  } catch (err) {
    turn.deps.logger.warn({ err, thread: other }, 'could not post in the other thread of an escalation');
  }
}

/** `timeline`: what happened, in order (the last 40 entries). */
export async function timeline(turn: Turn): Promise<void> {
  const lookup = await turn.deps.walkthroughs.get({ threadKey: turn.thread });
  if (lookup.kind === 'unavailable') return turn.say(lookup.message, 'danger');
  if (lookup.kind === 'not-found') return turn.say('No walkthrough in this thread yet.');
  const s = lookup.session;
  const playbook = turn.deps.catalog.playbookById.get(s.playbookId);
  const items = s.timeline.slice(-40).map((e) => `${clock(e.at)} ${eventLine(e, playbook)}`);
  await turn.post(reply(turn.thread, `Timeline of ${s.playbookId}`, [{ type: 'list', title: `Timeline: ${playbook?.title ?? s.playbookId}${s.timeline.length > 40 ? ` (last 40 of ${s.timeline.length})` : ''}`, items }]));
}
