// `ehlo start` (what `npm start` runs): without Slack or Teams credentials, the console channel in
// this terminal. Configuration problems stop it here with the setting and file named.
import { InvalidArgumentError, type Command } from 'commander';
import { userInfo } from 'node:os';
import { CatalogError, loadCatalog } from '../catalog/load.ts';
import { wantColor } from '../channels/console/ansi.ts';
import { consoleThread, runConsole } from '../channels/console/console.ts';
import { chosenChannel, ConfigError, loadConfig, type EhloConfig } from '../config.ts';
import { createConversation } from '../conversation/core.ts';
import { consoleLogger } from '../log.ts';
import { Matcher } from '../match/matcher.ts';
import { createStore } from '../store/create.ts';
import type { Actor } from '../walkthrough/session.ts';
import { Walkthroughs } from '../walkthrough/walkthroughs.ts';
import { configErrorText } from './config.ts';
import { EXIT } from './exit.ts';

interface StartFlags {
  config?: string;
  thread?: string;
  color: boolean;
}

function consoleActor(config: EhloConfig): Actor {
  let name = config.console.user;
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = undefined;
    }
  }
  const shown = (name || 'you').slice(0, 80);
  return { id: `console:${shown}`, name: shown };
}

function banner(thread: string, where: string, logs: string, channel: string): string[] {
  const lines = [
    `ehlo — Exchange mail-flow triage in your terminal (thread "${thread}", store ${where}, logs ${logs}).`,
    'Paste an error (NDR, queue LastError, SMTP reply, dialog text…) and press Enter on an empty line.',
    'Numbers press buttons; type help for commands; Ctrl-D (or quit) leaves, and the walkthrough waits here for next time.',
  ];
  if (channel !== 'console') lines.unshift(`(${channel} credentials are configured, but this version has only the console channel; opening the console.)`);
  return lines;
}

async function start(flags: StartFlags): Promise<number> {
  let config: EhloConfig;
  try {
    config = loadConfig({ file: flags.config }).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configErrorText(err));
    return EXIT.usage;
  }
  let matcher: Matcher;
  try {
    matcher = new Matcher(loadCatalog());
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    process.stderr.write(`ehlo: ${err.message}\n`);
    return EXIT.failed;
  }
  const { logger, where: logs } = consoleLogger(config.logging);
  const store = createStore(config.store);
  const walkthroughs = new Walkthroughs({ store, playbooks: (id) => matcher.catalog.playbookById.get(id) });
  const core = createConversation({ matcher, walkthroughs, probeConfig: config.probes, logger });
  const threadName = flags.thread ?? config.console.thread;
  const tty = Boolean(process.stdout.isTTY);
  logger.info({ thread: threadName, store: store.where }, 'console started');
  try {
    await runConsole({
      core,
      input: process.stdin,
      output: process.stdout,
      thread: consoleThread(threadName),
      actor: consoleActor(config),
      tty,
      color: wantColor(tty, process.env, flags.color),
      banner: banner(threadName, store.where, logs, chosenChannel(config)),
      handleSigint: true,
    });
  } finally {
    await store.close();
    logger.info('console closed');
    logger.flush();
  }
  return EXIT.ok;
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('open ehlo in this terminal: paste an error, press buttons by number, walk through a playbook (Slack/Teams when configured, later)')
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG)')
    .option('--thread <name>', 'console thread: a console restarted with the same name resumes its walkthrough (default main)', (v: string) => {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(v)) throw new InvalidArgumentError('a thread name is 1 to 64 letters, digits, dots, dashes or underscores');
      return v;
    })
    .option('--no-color', 'no colours (also: NO_COLOR)')
    .action(async (flags: StartFlags) => {
      process.exitCode = await start(flags);
    });
}
