// The console as a Channel: one terminal, one thread (console:local:<name>). It needs no HTTP server;
// `ended` resolves when the person quits (Ctrl-D, quit), and stop() closes the input.
import type { Sink } from '../../conversation/reply.ts';
import type { Channel, ChannelHost } from '../channel.ts';
import { runConsole, type ConsoleOptions } from './console.ts';

export type ConsoleChannelOptions = Omit<ConsoleOptions, 'core'>;

export class ConsoleChannel implements Channel {
  readonly name = 'console';
  readonly #o: ConsoleChannelOptions;
  #ended: Promise<void> | undefined;
  #sink: Sink | undefined;
  #stop: (() => void) | undefined;

  constructor(options: ConsoleChannelOptions) {
    this.#o = options;
  }

  get ended(): Promise<void> | undefined {
    return this.#ended;
  }

  start(host: ChannelHost): Promise<void> {
    this.#ended ??= runConsole({
      ...this.#o,
      core: host.core,
      onReady: (sink, stop) => {
        this.#sink = sink;
        this.#stop = stop;
      },
    });
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#stop?.();
    await this.#ended;
  }

  sinkFor(thread: string): Sink | undefined {
    return thread === this.#o.thread ? this.#sink : undefined;
  }
}
