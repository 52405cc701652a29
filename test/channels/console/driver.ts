// Drives `ehlo start` in a child process over pipes, the way a person types at it: write a line,
// wait until the output shows something, write the next. No terminal, so no colour or cursor moves.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EHLO_BIN } from '../../helpers/run-cli.ts';

export class ConsoleDriver {
  readonly #child: ChildProcessWithoutNullStreams;
  #out = '';
  #mark = 0;
  err = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.#child = spawn(process.execPath, [EHLO_BIN, 'start', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.setEncoding('utf8').on('data', (d: string) => (this.#out += d));
    this.#child.stderr.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.#child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
  }

  /** Everything printed so far. */
  get output(): string {
    return this.#out;
  }

  write(text: string): void {
    this.#child.stdin.write(text);
  }

  /** Wait until the output after the last mark matches; return that part and move the mark past it. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const fresh = this.#out.slice(this.#mark);
      const m = pattern.exec(fresh);
      if (m) {
        this.#mark += m.index + m[0].length;
        return fresh.slice(0, m.index + m[0].length);
      }
      if (Date.now() > until || this.#child.exitCode !== null) {
        throw new Error(`the console never printed ${pattern}; after the mark it printed:\n${fresh}\nstderr:\n${this.err}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Type a line and wait for what it leads to. */
  async send(line: string, pattern: RegExp): Promise<string> {
    this.write(`${line}\n`);
    return this.waitFor(pattern);
  }

  /** Ctrl-D: end the input and wait for the exit code. */
  async close(): Promise<number | null> {
    this.#child.stdin.end();
    return this.exited;
  }
}
