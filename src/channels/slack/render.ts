// The core's neutral replies as Slack Block Kit, within Slack's limits by construction: at most 50
// blocks, section text 3000, 10 fields per section (each 2000), header 150, button text 75, value
// 2000, confirm dialog texts 100/300/30. Long text is split into several sections or clipped with a
// marker, never sent over a limit (Slack would refuse the whole message with invalid_blocks).
//
// Every string is made safe on the way out: mention tokens neutralised (a pasted <!channel> becomes
// "[@channel]"), & < > escaped for mrkdwn, mrkdwn objects marked verbatim (Slack then links and
// parses nothing by itself), headers and buttons plain_text.
import { neutraliseMentions } from '../../text/neutralise.ts';
import type { Block, Button, Reply, StatusState, Tone } from '../../conversation/reply.ts';

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextText: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** The top-level `text` of a message: Slack truncates at 40,000; we keep notifications short. */
  fallbackText: 3000,
} as const;

export const CLIP_MARKER = '… (clipped)';

/** Slack's Block Kit objects, as much of them as ehlo sends. */
export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: TextObject;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: TextObject; text: TextObject; confirm: TextObject; deny: TextObject; style?: 'primary' | 'danger' };
}
export type SlackBlock =
  | { type: 'header'; text: TextObject; block_id?: string }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'context'; elements: TextObject[]; block_id?: string }
  | { type: 'actions'; elements: SlackButton[]; block_id: string }
  | { type: 'divider'; block_id?: string };

/** Escape the three characters Slack's mrkdwn gives meaning to. */
export function escapeMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 38 && c !== 60 && c !== 62) continue;
    out += text.slice(last, i) + (c === 38 ? '&amp;' : c === 60 ? '&lt;' : '&gt;');
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Text from the core or a paste, safe to show: no mention can ping, escaped for mrkdwn. */
export function safeMrkdwn(text: string): string {
  return escapeMrkdwn(neutraliseMentions(text));
}

/** Plain text (headers, buttons): mentions neutralised; plain_text is never parsed by Slack. */
export function safePlain(text: string): string {
  return neutraliseMentions(text);
}

/** Cut to at most max UTF-16 units, on a code point boundary, with a marker when cut. */
export function clip(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - marker.length);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end) + marker;
}

/**
 * Clip escaped mrkdwn to max without cutting an entity (&amp; &lt; &gt;) in half: escape first, then
 * cut at the last whole character.
 */
function clipEscaped(escaped: string, max: number, marker = CLIP_MARKER): string {
  if (escaped.length <= max) return escaped;
  let end = Math.max(0, max - marker.length);
  const amp = escaped.lastIndexOf('&', end);
  if (amp >= 0 && amp > end - 5 && escaped.indexOf(';', amp) >= end) end = amp;
  const c = escaped.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return escaped.slice(0, end) + marker;
}

/** Split escaped mrkdwn into chunks of at most max, preferring line breaks, never inside an entity. */
export function splitEscaped(escaped: string, max: number): string[] {
  const out: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    const amp = rest.lastIndexOf('&', cut);
    if (amp >= 0 && amp > cut - 5 && rest.indexOf(';', amp) >= cut) cut = amp;
    const c = rest.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(rest[cut] === '\n' ? cut + 1 : cut);
  }
  if (rest.length || out.length === 0) out.push(rest);
  return out;
}

function mrkdwn(text: string): TextObject {
  return { type: 'mrkdwn', text: text.length ? text : ' ', verbatim: true };
}

function plain(text: string, max: number): TextObject {
  const t = clip(safePlain(text).replace(/\s+/g, ' ').trim(), max);
  return { type: 'plain_text', text: t.length ? t : ' ', emoji: false };
}

const TONE: Record<Tone, string> = { info: '', success: ':white_check_mark: ', warning: ':warning: ', danger: ':x: ' };
const STATUS: Record<StatusState, string> = {
  running: ':hourglass_flowing_sand:',
  pass: ':white_check_mark:',
  warn: ':warning:',
  fail: ':x:',
  error: ':x:',
  refused: ':no_entry:',
  info: ':information_source:',
};

/** Sections for one long mrkdwn text (already escaped), split at the section limit. */
function sections(escaped: string, max = LIMITS.sectionText): SlackBlock[] {
  return splitEscaped(clipEscaped(escaped, LIMITS.blocks * max), max).map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }));
}

/** A code block may not contain a fence of its own. */
function fenceSafe(escaped: string): string {
  return escaped.split('```').join('`\u200b``');
}

function codeSections(text: string, label: string | undefined): SlackBlock[] {
  const body = fenceSafe(escapeMrkdwn(neutraliseMentions(text)));
  const head = label ? `*${safeMrkdwn(label)}*\n` : '';
  const room = LIMITS.sectionText - head.length - 8;
  return splitEscaped(clipEscaped(body, LIMITS.blocks * room), room).map((chunk, i) => ({ type: 'section', text: mrkdwn(`${i === 0 ? head : ''}\`\`\`${chunk}\`\`\``) }));
}

function fieldSections(fields: Array<{ label: string; value: string }>): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    out.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.fields).map((f) => {
        const label = clipEscaped(safeMrkdwn(f.label), 200);
        return mrkdwn(clipEscaped(`*${label}*\n${safeMrkdwn(f.value)}`, LIMITS.fieldText));
      }),
    });
  }
  return out;
}

function progressLine(current: number, total: number, label: string | undefined): string {
  const t = Math.max(1, Math.min(50, Math.floor(total)));
  const c = Math.max(0, Math.min(t, Math.floor(current)));
  return `${'■'.repeat(c)}${'□'.repeat(t - c)}  ${c}/${t}${label ? `  ${safeMrkdwn(label)}` : ''}`;
}

function button(b: Button, index: number): SlackButton | undefined {
  if (b.value.length > LIMITS.buttonValue) return undefined;
  const out: SlackButton = {
    type: 'button',
    action_id: clip(`ehlo:${index}:${b.id}`, LIMITS.actionId, ''),
    text: plain(b.label, LIMITS.buttonText),
    value: b.value,
  };
  if (b.style === 'primary' || b.style === 'danger') out.style = b.style;
  if (b.confirm) {
    out.confirm = {
      title: plain(b.confirm.title, LIMITS.confirmTitle),
      text: plain(b.confirm.text, LIMITS.confirmText),
      confirm: plain(clip(b.label, LIMITS.confirmButton), LIMITS.confirmButton),
      deny: plain('Not yet', LIMITS.confirmButton),
      style: 'danger',
    };
  }
  return out;
}

/** The block_id of an actions block says which kind of reply the buttons belong to (a press on a step card updates it in place). */
export function actionsBlockId(kind: string, n: number, replyId: string): string {
  // Unique per message and per version of it (Slack asks for a new block_id when a message is updated).
  return clip(`ehlo:${kind}:${n}:${replyId.slice(-12)}:${Date.now().toString(36)}`, LIMITS.blockId, '');
}

export function kindOfBlockId(blockId: string | undefined): string | undefined {
  if (!blockId?.startsWith('ehlo:')) return undefined;
  return blockId.split(':')[1];
}

function renderBlock(b: Block, r: Reply, counter: { actions: number }): SlackBlock[] {
  switch (b.type) {
    case 'header': return [{ type: 'header', text: plain(b.text, LIMITS.header) }];
    case 'text': return sections(`${TONE[b.tone ?? 'info']}${safeMrkdwn(b.text)}`);
    case 'fields': return b.fields.length ? fieldSections(b.fields) : [];
    case 'code': return codeSections(b.text, b.label);
    case 'list': {
      const lines = [...(b.title ? [`*${safeMrkdwn(b.title)}*`] : []), ...b.items.map((i) => `• ${safeMrkdwn(i)}`)];
      return lines.length ? sections(lines.join('\n')) : [];
    }
    case 'status': return sections(`${STATUS[b.state]} ${safeMrkdwn(b.text)}`);
    case 'progress': return [{ type: 'context', elements: [mrkdwn(clipEscaped(progressLine(b.current, b.total, b.label), LIMITS.contextText))] }];
    case 'buttons': {
      const elements = b.buttons.map((x, i) => button(x, counter.actions * 100 + i)).filter((x): x is SlackButton => x !== undefined);
      const out: SlackBlock[] = [];
      for (let i = 0; i < elements.length; i += LIMITS.actionsElements) {
        out.push({ type: 'actions', block_id: actionsBlockId(r.kind, counter.actions++, r.id), elements: elements.slice(i, i + LIMITS.actionsElements) });
      }
      return out;
    }
  }
}

export interface Rendered {
  /** The notification and fallback text (mrkdwn, escaped and neutralised). */
  text: string;
  blocks: SlackBlock[];
}

/** Extra context lines shown under a reply (who pressed, what a press did). */
export interface RenderOptions {
  context?: string[];
}

/**
 * A reply as Block Kit. When there are more than 50 blocks, content blocks are dropped from the end
 * (buttons kept) and a marker says how many.
 */
export function renderReply(r: Reply, options: RenderOptions = {}): Rendered {
  const counter = { actions: 0 };
  const content: SlackBlock[] = [];
  const actions: SlackBlock[] = [];
  for (const b of r.blocks) {
    for (const sb of renderBlock(b, r, counter)) (sb.type === 'actions' ? actions : content).push(sb);
  }
  const context = (options.context ?? []).filter((l) => l.trim()).map((l): SlackBlock => ({ type: 'context', elements: [mrkdwn(clipEscaped(safeMrkdwn(l), LIMITS.contextText))] }));
  // Buttons stay where the core put them relative to nothing else: at the end, after any context.
  const keptActions = actions.slice(0, 5);
  const room = LIMITS.blocks - keptActions.length - context.length;
  let body = content;
  if (body.length > room) {
    const dropped = body.length - (room - 1);
    body = [...body.slice(0, room - 1), { type: 'context', elements: [mrkdwn(`… ${dropped} more block(s) not shown (Slack shows at most ${LIMITS.blocks}).`)] }];
  }
  const blocks = [...body, ...context, ...keptActions];
  return { text: fallbackText(r), blocks };
}

/** The message's `text`: the reply's summary line, safe, short. */
export function fallbackText(r: Reply): string {
  return clipEscaped(safeMrkdwn(r.summary.replace(/\s+/g, ' ').trim() || 'ehlo'), 300);
}

/** The whole reply as plain text (for Slack refusing the blocks, and tests). */
export function plainText(r: Reply): string {
  const lines: string[] = [];
  for (const b of r.blocks) {
    switch (b.type) {
      case 'header': lines.push(`*${b.text}*`); break;
      case 'text': case 'status': lines.push(b.text); break;
      case 'fields': for (const f of b.fields) lines.push(`${f.label}: ${f.value}`); break;
      case 'code': lines.push(...(b.label ? [b.label] : []), b.text); break;
      case 'list': lines.push(...(b.title ? [b.title] : []), ...b.items.map((i) => `• ${i}`)); break;
      case 'progress': lines.push(`${b.current}/${b.total}${b.label ? ` ${b.label}` : ''}`); break;
      case 'buttons': lines.push(`(buttons: ${b.buttons.map((x) => x.label).join(', ')}; type the command instead, e.g. done, failed, skip, check)`); break;
    }
  }
  return clipEscaped(safeMrkdwn(lines.join('\n')), LIMITS.fallbackText);
}

/** Slack message metadata for diagnosis and step cards (other apps and workflows read it). */
export function metadataFor(r: Reply): { event_type: string; event_payload: Record<string, string | number> } | undefined {
  if (r.kind !== 'diagnosis' && r.kind !== 'step') return undefined;
  const payload: Record<string, string | number> = { reply: r.id };
  const m = r.meta ?? {};
  if (m.playbook) payload.playbook = m.playbook;
  if (m.verdict) payload.verdict = m.verdict;
  if (m.score !== undefined) payload.score = Math.round(m.score * 1000) / 1000;
  if (m.session) payload.session = m.session;
  if (m.step) payload.step = m.step;
  if (m.version !== undefined) payload.version = m.version;
  return { event_type: r.kind === 'diagnosis' ? 'ehlo_diagnosis' : 'ehlo_step', event_payload: payload };
}
