// A spinner for the one running status line at the bottom of the terminal.
export const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;

  /** Calls draw(frame) now and every intervalMs until stopped. */
  start(draw: (frame: string) => void, intervalMs = 100): void {
    this.stop();
    draw(FRAMES[0] as string);
    this.#timer = setInterval(() => {
      this.#frame = (this.#frame + 1) % FRAMES.length;
      draw(FRAMES[this.#frame] as string);
    }, intervalMs);
    this.#timer.unref();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
