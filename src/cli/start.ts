// `ehlo start` (what `npm start` runs): without Slack or Teams credentials, the console channel in
// this terminal. Configuration problems stop it here with the setting and file named.
import { InvalidArgumentError, type Command } from 'commander';
import { userInfo } from 'node:os';
import { CatalogError, loadCatalog } from '../catalog/load.ts';
import { wantColor } from '../channels/console/ansi.ts';
import { ConsoleChannel } from '../channels/console/channel.ts';
import { consoleThread } from '../channels/console/console.ts';
import type { NetworkChannelName } from '../channels/registry.ts';
import { chosenChannels, ConfigError, loadConfig, type EhloConfig } from '../config.ts';
import { consoleLogger, createLogger } from '../log.ts';
import { Matcher } from '../match/matcher.ts';
import { createRuntime, serve, type Served } from '../server/runtime.ts';
import type { Actor } from '../walkthrough/session.ts';
import { configErrorText } from './config.ts';
import { EXIT } from './exit.ts';
import { listenFailure, untilStopSignal } from './serving.ts';

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

function banner(thread: string, where: string, logs: string): string[] {
  const lines = [
    `ehlo — Exchange mail-flow triage in your terminal (thread "${thread}", store ${where}, logs ${logs}).`,
    'Paste an error (NDR, queue LastError, SMTP reply, dialog text…) and press Enter on an empty line.',
    'Numbers press buttons; type help for commands; Ctrl-D (or quit) leaves, and the walkthrough waits here for next time.',
  ];
  return lines;
}

function loadOrExplain(flags: StartFlags): EhloConfig | undefined {
  try {
    return loadConfig({ file: flags.config }).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(configErrorText(err));
    return undefined;
  }
}

function matcherOrExplain(): Matcher | undefined {
  try {
    return new Matcher(loadCatalog());
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    process.stderr.write(`ehlo: ${err.message}\n`);
    return undefined;
  }
}

async function startConsole(config: EhloConfig, matcher: Matcher, flags: StartFlags): Promise<number> {
  const { logger, where: logs } = consoleLogger(config.logging);
  const rt = createRuntime(config, { logger, matcher });
  const threadName = flags.thread ?? config.console.thread;
  const tty = Boolean(process.stdout.isTTY);
  await rt.walkthroughs.ready().catch(() => undefined);
  const where = rt.store.readOnly ? `${rt.store.where} (READ-ONLY: ${rt.store.readOnly}; open walkthroughs show, nothing changes)` : rt.store.where;
  logger.info({ thread: threadName, store: rt.store.where }, 'console started');
  const channel = new ConsoleChannel({
    input: process.stdin,
    output: process.stdout,
    thread: consoleThread(threadName),
    actor: consoleActor(config),
    tty,
    color: wantColor(tty, process.env, flags.color),
    banner: banner(threadName, where, logs),
    handleSigint: true,
  });
  try {
    await channel.start({ core: rt.core, config, logger, metrics: rt.metrics });
    await channel.ended;
  } finally {
    await rt.core.drain();
    await rt.close();
    logger.info('console closed');
    logger.flush();
  }
  return EXIT.ok;
}

/** Slack and/or Teams on one HTTP server, until SIGTERM or SIGINT. */
async function startServer(config: EhloConfig, matcher: Matcher, names: NetworkChannelName[]): Promise<number> {
  const logger = createLogger(config.logging, { tty: Boolean(process.stderr.isTTY) });
  if (names.includes('teams') && config.teams.dev && process.env.NODE_ENV === 'production') {
    process.stderr.write('ehlo: EHLO_TEAMS_DEV (teams.dev) turns authentication off and is refused with NODE_ENV=production. Set TEAMS_APP_ID and TEAMS_APP_PASSWORD instead.\n');
    return EXIT.usage;
  }
  const rt = createRuntime(config, { logger, matcher });
  let served: Served;
  try {
    served = await serve(rt, names);
  } catch (err) {
    await rt.close();
    process.stderr.write(`ehlo: cannot start ${names.join(' and ')}: ${listenFailure(err, config.server.port)}\n`);
    return EXIT.failed;
  }
  process.stderr.write(`ehlo: ${names.join(' and ')} listening on ${config.server.host}:${served.port} (store ${rt.store.where}); GET /livez /readyz /metrics. Ctrl-C stops.\n`);
  if (names.includes('teams') && config.teams.dev) process.stderr.write('ehlo: WARNING: Teams development mode: /api/messages accepts requests WITHOUT authentication. Never expose this port.\n');
  await untilStopSignal(logger, 'stopping');
  await served.stop();
  logger.info('stopped');
  logger.flush();
  return EXIT.ok;
}

async function start(flags: StartFlags): Promise<number> {
  const config = loadOrExplain(flags);
  if (!config) return EXIT.usage;
  const matcher = matcherOrExplain();
  if (!matcher) return EXIT.failed;
  const names = chosenChannels(config);
  if (names.includes('console')) return startConsole(config, matcher, flags);
  return startServer(config, matcher, names.filter((n): n is NetworkChannelName => n !== 'console'));
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run ehlo: Slack and/or Teams on one HTTP server when configured (PORT), else the console in this terminal')
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
