// A reply as terminal lines: headers, wrapped text, aligned fields, code, lists, numbered buttons,
// status marks and a progress bar. Everything the core sends is already neutralised; this only
// lays it out (and strips anything that could still act as a terminal escape).
import { stripControls } from '../../text/neutralise.ts';
import { buttonNumber, type Block, type Button, type Reply, type StatusState, type Tone } from '../../conversation/reply.ts';
import type { Style } from './ansi.ts';

export interface RenderOptions {
  style: Style;
  width: number;
  /** Frame of the spinner shown for a running status. */
  spinner?: string;
}

const INDENT = '  ';
const FIELD_LABEL_MAX = 22;

/** Word-wrap text to width: the first line starts with `first`, the others with `hang`; line breaks are kept. */
export function wrap(text: string, width: number, first: string, hang = first): string[] {
  const out: string[] = [];
  let prefix = first;
  for (const para of text.split('\n')) {
    let line = prefix;
    let empty = true;
    for (const word of para.split(/ +/)) {
      if (!word) continue;
      if (!empty && line.length + 1 + word.length > width) {
        out.push(line);
        line = hang;
        empty = true;
      }
      let rest = word;
      while (empty && line.length + rest.length > width) {
        const cut = Math.max(1, width - line.length);
        out.push(line + rest.slice(0, cut));
        rest = rest.slice(cut);
        line = hang;
      }
      if (!rest) continue;
      line += (empty ? '' : ' ') + rest;
      empty = false;
    }
    out.push(empty ? line.trimEnd() : line);
    prefix = hang;
  }
  return out;
}

function toned(style: Style, tone: Tone | undefined, s: string): string {
  if (tone === 'success') return style.green(s);
  if (tone === 'warning') return style.yellow(s);
  if (tone === 'danger') return style.red(s);
  return s;
}

const MARK: Record<Exclude<StatusState, 'running'>, string> = { pass: '✓', warn: '!', fail: '✗', error: '✗', refused: '⊘', info: '·' };

function status(o: RenderOptions, state: StatusState, text: string): string {
  if (state === 'running') return `${INDENT}${o.style.cyan(o.spinner ?? '…')} ${text}`;
  const line = `${INDENT}${MARK[state]} ${text}`;
  return state === 'pass' ? o.style.green(line) : state === 'warn' ? o.style.yellow(line) : state === 'info' ? line : o.style.red(line);
}

function buttonLine(o: RenderOptions, buttons: Button[]): string[] {
  const labels = buttons.map((b, i) => {
    const label = `[${buttonNumber(b, i)}] ${b.label}`;
    return b.style === 'primary' ? o.style.bold(label) : b.style === 'danger' ? o.style.yellow(label) : label;
  });
  const plainWidths = buttons.map((b, i) => `[${buttonNumber(b, i)}] ${b.label}`.length);
  const lines: string[] = [];
  let line = INDENT;
  let width = INDENT.length;
  labels.forEach((label, i) => {
    const w = plainWidths[i] ?? 0;
    if (width > INDENT.length && width + 2 + w > o.width) {
      lines.push(line);
      line = INDENT;
      width = INDENT.length;
    }
    line += (width > INDENT.length ? '  ' : '') + label;
    width += (width > INDENT.length ? 2 : 0) + w;
  });
  lines.push(line);
  return lines;
}

function fields(o: RenderOptions, list: Array<{ label: string; value: string }>): string[] {
  const pad = Math.min(FIELD_LABEL_MAX, Math.max(...list.map((f) => f.label.length)));
  return list.flatMap((f) => {
    if (f.label.length > pad) return [`${INDENT}${o.style.dim(f.label)}`, ...wrap(f.value, o.width, `${INDENT}  ${' '.repeat(pad)}`)];
    const head = `${INDENT}${f.label.padEnd(pad)}  `;
    const lines = wrap(f.value, o.width, head, ' '.repeat(head.length));
    lines[0] = `${INDENT}${o.style.dim(f.label.padEnd(pad))}  ${(lines[0] ?? '').slice(head.length)}`;
    return lines;
  });
}

function block(o: RenderOptions, b: Block): string[] {
  switch (b.type) {
    case 'header': return wrap(b.text, o.width, '━━ ', '   ').map((l) => o.style.bold(o.style.cyan(l)));
    case 'text': return wrap(b.text, o.width, INDENT).map((l) => toned(o.style, b.tone, l));
    case 'fields': return b.fields.length ? fields(o, b.fields) : [];
    case 'code': return [...(b.label ? [`${INDENT}${o.style.dim(b.label)}`] : []), ...b.text.split('\n').map((l) => `${INDENT}${o.style.dim('│')} ${o.style.cyan(l)}`)];
    case 'list': return [...(b.title ? wrap(b.title, o.width, INDENT).map((l) => o.style.bold(l)) : []), ...b.items.flatMap((i) => wrap(i, o.width, `${INDENT}• `, `${INDENT}  `))];
    case 'buttons': return buttonLine(o, b.buttons);
    case 'status': return [status(o, b.state, b.text)];
    case 'progress': {
      const n = Math.max(1, Math.min(b.total, 30));
      const filled = Math.round((b.current / Math.max(1, b.total)) * n);
      const head = `${INDENT}${'■'.repeat(n)} ${b.current}/${b.total}`;
      const room = o.width - head.length - 2;
      const label = b.label && room > 8 ? `  ${b.label.length > room ? `${b.label.slice(0, room - 1)}…` : b.label}` : '';
      return [`${INDENT}${o.style.green('■'.repeat(filled))}${o.style.dim('□'.repeat(n - filled))} ${b.current}/${b.total}${o.style.dim(label)}`];
    }
  }
}

/** The terminal lines of a reply (no trailing newline). Control characters cannot survive. */
export function renderReply(r: Reply, o: RenderOptions): string[] {
  const safe = (s: string): string => stripControls(s, false);
  const clean: Reply = { ...r, blocks: r.blocks.map((b) => sanitize(b, safe)) };
  return clean.blocks.flatMap((b) => block(o, b));
}

function sanitize(b: Block, safe: (s: string) => string): Block {
  const multi = (s: string): string => stripControls(s, true);
  switch (b.type) {
    case 'header': case 'status': return { ...b, text: safe(b.text) };
    case 'text': return { ...b, text: multi(b.text) };
    case 'code': return { ...b, text: multi(b.text), label: b.label && safe(b.label) };
    case 'fields': return { ...b, fields: b.fields.map((f) => ({ label: safe(f.label), value: multi(f.value) })) };
    case 'list': return { ...b, title: b.title && safe(b.title), items: b.items.map(multi) };
    case 'buttons': return { ...b, buttons: b.buttons.map((btn) => ({ ...btn, label: safe(btn.label) })) };
    default: return b;
  }
}
