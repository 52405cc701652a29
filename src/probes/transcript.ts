// A bounded transcript: lines prefixed `S:` (target), `C:` (ehlo) or `*` (note), never a secret.
const MAX_LINE = 400;

export class Transcript {
  readonly lines: string[] = [];
  private readonly maxLines: number;
  private dropped = 0;

  constructor(maxLines = 200) {
    this.maxLines = maxLines;
  }

  server(line: string): void {
    this.push(`S: ${line}`);
  }

  client(line: string): void {
    this.push(`C: ${line}`);
  }

  note(line: string): void {
    this.push(`* ${line}`);
  }

  /** The lines, with a closing note when some were dropped. */
  toArray(): string[] {
    return this.dropped ? [...this.lines, `* … ${this.dropped} more line(s) not kept`] : [...this.lines];
  }

  private push(line: string): void {
    if (this.lines.length >= this.maxLines) {
      this.dropped++;
      return;
    }
    const clean = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
    this.lines.push(clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE)}…` : clean);
  }
}
