// The core's replies as Adaptive Cards 1.5 for Teams: Universal Actions (`Action.Execute`), a change
// step's confirmation inside the card (Action.ShowCard holding the real action), a question as an
// Input.Text with a Send action, and a `refresh` so a client showing a stale card fetches the current
// one. Teams refuses a message over 28 KB, so text is split (long code) or clipped with a marker, and
// a card still too big is rebuilt with tighter limits until it fits.
import type { Block, Button, Reply, StatusState, Tone } from '../../conversation/reply.ts';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Teams' limit is 28 KB for the whole message; the card gets this much of it. */
export const MAX_CARD_BYTES = 24 * 1024;
/** Verbs of our Action.Execute actions. */
export const VERBS = { press: 'press', answer: 'answer', refresh: 'refresh' } as const;
/** The id of the question's Input.Text (its value arrives in the invoke's data under this name). */
export const ANSWER_INPUT = 'answer';
export const CLIP_MARKER = '… [clipped]';
/** Actions in one ActionSet (the Adaptive Cards host default, and what Teams shows in a row). */
export const MAX_ACTIONS = 5;

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  refresh?: { action: CardElement; userIds?: string[] };
  msteams?: { width: 'Full' };
}

/** Our data on every Action.Execute: the reply the card shows and, for a press, the button's payload. */
export interface ActionData {
  r: string;
  v?: string;
  b?: string;
  /** The kind of the reply the card shows (a step card can be replaced even when `r` is forgotten). */
  k?: string;
}

/** The reply a card shows, as its actions name it. */
interface Owner {
  id: string;
  kind: string;
}

const TONE_COLOR: Record<Tone, string> = { info: 'Default', success: 'Good', warning: 'Warning', danger: 'Attention' };
/** Plain symbols (not emoji): Teams colours them with the text, and any font has them. */
const STATUS: Record<StatusState, { icon: string; color: string }> = {
  running: { icon: '↻', color: 'Accent' },
  pass: { icon: '✓', color: 'Good' },
  warn: { icon: '⚠', color: 'Warning' },
  fail: { icon: '✗', color: 'Attention' },
  error: { icon: '✗', color: 'Attention' },
  refused: { icon: '⊘', color: 'Warning' },
  info: { icon: 'ℹ', color: 'Default' },
};

interface Limits {
  /** Characters of one text element. */
  text: number;
  /** Characters of one code part (longer code is split into parts). */
  code: number;
  /** Code parts kept. */
  parts: number;
  /** List items kept. */
  items: number;
}

const LIMIT_STEPS: Limits[] = [
  { text: 4000, code: 3000, parts: 4, items: 30 },
  { text: 2000, code: 2000, parts: 3, items: 20 },
  { text: 1000, code: 1200, parts: 2, items: 12 },
  { text: 400, code: 600, parts: 1, items: 8 },
  { text: 160, code: 200, parts: 1, items: 4 },
];

export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - CLIP_MARKER.length))}${CLIP_MARKER}`;
}

/** Split code at line ends into parts of at most `size` characters (a line longer than that is cut). */
export function splitCode(text: string, size: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const l = line.length > size ? clip(line, size) : line;
    if (current && current.length + 1 + l.length > size) {
      parts.push(current);
      current = l;
    } else current = current ? `${current}\n${l}` : l;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

/**
 * Teams renders Markdown in TextBlocks and facts: a pasted `[text](https://…)` would become a link that
 * says something else than where it goes. A zero-width space between `]` and `(` keeps the text and
 * loses the link (ehlo's own texts use no Markdown).
 */
export function inert(text: string): string {
  return text.includes('](') ? text.split('](').join(']\u200b(') : text;
}

function textBlock(text: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: inert(text), wrap: true, ...extra };
}

function actionStyle(b: Button): string | undefined {
  return b.style === 'primary' ? 'positive' : b.style === 'danger' ? 'destructive' : undefined;
}

function execute(title: string, data: ActionData, style?: string, id?: string): CardElement {
  const a: CardElement = { type: 'Action.Execute', title, verb: VERBS.press, data: { ehlo: data } };
  if (id) a.id = id;
  if (style) a.style = style;
  return a;
}

/** One button: Action.Execute, or for a change step an Action.ShowCard asking first, the real action inside. */
function action(b: Button, owner: Owner): CardElement {
  const data: ActionData = { r: owner.id, v: b.value, b: b.id, k: owner.kind };
  const title = clip(b.label, 60);
  if (!b.confirm) return execute(title, data, actionStyle(b), `ehlo-${b.id}`.slice(0, 64));
  return {
    type: 'Action.ShowCard',
    title,
    ...(b.style === 'danger' ? { style: 'destructive' } : {}),
    card: {
      type: 'AdaptiveCard',
      body: [textBlock(clip(b.confirm.title, 200), { weight: 'Bolder' }), textBlock(clip(b.confirm.text, 1000))],
      actions: [execute(`Yes: ${title}`, data, 'destructive', `ehlo-${b.id}-yes`.slice(0, 64))],
    },
  };
}

function progressBar(current: number, total: number): string {
  const n = Math.max(1, Math.min(20, total));
  const done = total > 0 ? Math.round((Math.min(current, total) / total) * n) : 0;
  return `${'▰'.repeat(done)}${'▱'.repeat(n - done)}`;
}

function blockElements(b: Block, owner: Owner, lim: Limits): CardElement[] {
  switch (b.type) {
    case 'header':
      return [textBlock(clip(b.text, 300), { size: 'Large', weight: 'Bolder' })];
    case 'text':
      return [textBlock(clip(b.text, lim.text), b.tone && b.tone !== 'info' ? { color: TONE_COLOR[b.tone] } : {})];
    case 'fields':
      return [{ type: 'FactSet', facts: b.fields.slice(0, 20).map((f) => ({ title: inert(clip(f.label, 80)), value: inert(clip(f.value, 400)) })) }];
    case 'code': {
      const all = splitCode(b.text, lim.code);
      const parts = all.slice(0, lim.parts);
      const items: CardElement[] = [];
      if (b.label) items.push(textBlock(clip(b.label, 200), { weight: 'Bolder', size: 'Small' }));
      parts.forEach((p, i) => {
        const tail = i === parts.length - 1 && all.length > parts.length ? `\n${CLIP_MARKER} (${all.length - parts.length} more parts)` : '';
        const label = all.length > 1 ? textBlock(`part ${i + 1} of ${all.length}`, { size: 'Small', isSubtle: true }) : undefined;
        if (label) items.push(label);
        items.push(textBlock(`${p}${tail}`, { fontType: 'Monospace' }));
      });
      return [{ type: 'Container', style: 'emphasis', items }];
    }
    case 'list': {
      const items = b.items.slice(0, lim.items).map((it) => textBlock(`• ${clip(it, lim.text)}`, { spacing: 'None' }));
      if (b.items.length > lim.items) items.push(textBlock(`${CLIP_MARKER} (${b.items.length - lim.items} more)`, { isSubtle: true, spacing: 'None' }));
      return [...(b.title ? [textBlock(clip(b.title, 300), { weight: 'Bolder' })] : []), ...items];
    }
    case 'buttons': {
      // Hosts show at most MAX_ACTIONS actions in a row: balanced rows of at most that many.
      const all = b.buttons.slice(0, 12).map((x) => action(x, owner));
      const rows = Math.ceil(all.length / MAX_ACTIONS);
      const size = Math.ceil(all.length / Math.max(1, rows));
      const sets: CardElement[] = [];
      for (let i = 0; i < all.length; i += size) sets.push({ type: 'ActionSet', actions: all.slice(i, i + size), ...(i > 0 ? { spacing: 'Small' } : {}) });
      return sets;
    }
    case 'status': {
      const s = STATUS[b.state];
      return [textBlock(`${s.icon} ${clip(b.text, lim.text)}`, { color: s.color, weight: b.state === 'running' ? 'Default' : 'Bolder' })];
    }
    case 'progress':
      return [textBlock(`${progressBar(b.current, b.total)}  ${b.current} of ${b.total}${b.label ? ` · ${clip(b.label, 200)}` : ''}`, { isSubtle: true, size: 'Small' })];
    default:
      // A divider (where the reply model has one) separates the next element; anything newer is not shown.
      return [];
  }
}

export interface RenderOptions {
  /** AAD object ids of people in the thread whose client should refresh the card (Teams allows 60). */
  refreshUserIds?: readonly string[];
  /** A line shown on top (e.g. "Alice pressed Done — working on it…"). */
  banner?: { state: StatusState; text: string };
}

function askElements(r: Reply, prompt: string): CardElement[] {
  return [
    { type: 'Input.Text', id: ANSWER_INPUT, label: inert(clip(prompt, 200)), placeholder: 'Type the answer', maxLength: 300, isMultiline: false },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Send', verb: VERBS.answer, data: { ehlo: { r: r.id, k: r.kind } }, style: 'positive', id: 'ehlo-answer' }] },
  ];
}

function build(r: Reply, lim: Limits, options: RenderOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (options.banner) body.push(...blockElements({ type: 'status', ...options.banner }, r, lim));
  // A question's text box and Send come before the reply's last row of buttons (Cancel…).
  const lastButtons = r.blocks.map((b) => b.type).lastIndexOf('buttons');
  const askAt = r.ask ? (lastButtons >= 0 ? lastButtons : r.blocks.length) : -1;
  let separate = false;
  r.blocks.forEach((b, i) => {
    if (i === askAt && r.ask) body.push(...askElements(r, r.ask.prompt));
    if ((b.type as string) === 'divider') {
      separate = true;
      return;
    }
    const els = blockElements(b, r, lim);
    if (separate && els[0]) els[0] = { ...els[0], separator: true };
    separate = false;
    body.push(...els);
  });
  if (r.ask && askAt >= r.blocks.length) body.push(...askElements(r, r.ask.prompt));
  if (body.length === 0) body.push(textBlock(clip(r.summary, lim.text)));
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body, msteams: { width: 'Full' } };
  if (r.kind === 'step' || r.kind === 'probe') {
    card.refresh = { action: { type: 'Action.Execute', title: 'Refresh', verb: VERBS.refresh, data: { ehlo: { r: r.id, k: r.kind } } } };
    if (options.refreshUserIds?.length) card.refresh.userIds = options.refreshUserIds.slice(0, 60).map(String);
  }
  return card;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** The reply as an Adaptive Card under MAX_CARD_BYTES. */
export function renderCard(r: Reply, options: RenderOptions = {}): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const lim of LIMIT_STEPS) {
    card = build(r, lim, options);
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  }
  // Still too big (hundreds of blocks): keep the first elements that fit.
  const full = card as AdaptiveCard;
  const body: CardElement[] = [];
  let bytes = cardBytes({ ...full, body: [] }) + 200;
  for (const el of full.body) {
    const n = cardBytes(el) + 1;
    if (bytes + n > MAX_CARD_BYTES) break;
    body.push(el);
    bytes += n;
  }
  body.push(textBlock(`${CLIP_MARKER} (the rest did not fit in a Teams card)`, { isSubtle: true }));
  return { ...full, body };
}

/** A card that says one thing (an invoke answer when the card's reply is gone). */
export function noticeCard(text: string, tone: Tone = 'info'): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body: [textBlock(clip(text, 2000), tone === 'info' ? {} : { color: TONE_COLOR[tone] })], msteams: { width: 'Full' } };
}

/** The message activity that carries a card. */
export function cardActivity(card: AdaptiveCard, summary: string): { type: 'message'; summary: string; attachments: { contentType: string; content: AdaptiveCard }[] } {
  return { type: 'message', summary: clip(summary, 200), attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] };
}
