// `ehlo config check`: read ehlo.config.yaml (or --config / EHLO_CONFIG) with the environment on top,
// validate it, and print the settings in effect (secrets masked) or every problem with its setting.
import type { Command } from 'commander';
import { chosenChannels, ConfigError, ENV_SETTINGS, formatConfigProblem, loadConfig, maskUrl, type LoadedConfig } from '../config.ts';
import { createStore } from '../store/create.ts';
import { EXIT } from './exit.ts';

const set = (v: string | undefined): string => (v ? 'set' : 'not set');

export function describeConfig(loaded: LoadedConfig): string[] {
  const { config, file, fromEnv } = loaded;
  const env = (setting: string): string => (fromEnv.has(setting) ? `  (from ${fromEnv.get(setting)})` : '');
  const p = config.probes;
  return [
    `Configuration: ${file ?? 'no file (defaults)'}${fromEnv.size ? ` + environment (${[...fromEnv.values()].join(', ')})` : ''}`,
    `  store       ${config.store.databaseUrl ? `PostgreSQL ${maskUrl(config.store.databaseUrl)}${config.store.schema ? ` schema ${config.store.schema}` : ''}${env('store.databaseUrl')}` : `SQLite ${config.store.sqlitePath ?? 'data/ehlo.sqlite'}${env('store.sqlitePath')}`}`,
    `  probes      allow ${p.allow.length ? p.allow.join(', ') : '(empty: every probe is refused until you allow targets)'}${env('probes.allow')}`,
    `              dns servers ${p.dnsServers.length ? p.dnsServers.join(', ') : 'the system\'s'}${env('probes.dnsServers')}; total timeout ${p.timeouts.totalMs} ms`,
    `  logging     level ${config.logging.level}, format ${config.logging.format}${config.logging.file ? `, file ${config.logging.file}` : ''}`,
    `  console     thread ${config.console.thread}${config.console.user ? `, user ${config.console.user}` : ''}`,
    `  server      ${config.server.host}:${config.server.port}${env('server.port')} (the chat channels' HTTP endpoints)`,
    `  slack       bot token ${set(config.slack.botToken)}, app token ${set(config.slack.appToken)}, signing secret ${set(config.slack.signingSecret)}, API ${config.slack.apiUrl}`,
    `  teams       app id ${set(config.teams.appId)}, app password ${set(config.teams.appPassword)}${config.teams.tenantId ? `, tenant ${config.teams.tenantId}` : ''}${config.teams.dev ? ', DEVELOPMENT MODE (no authentication)' : ''}`,
    `  escalation  on-call: slack ${config.escalation.slack.channel ?? 'not set'}${config.escalation.slack.mention.length ? ` (mentions ${config.escalation.slack.mention.join(', ')})` : ''}, teams ${config.escalation.teams.channel ? 'set' : 'not set'}; ask first ${config.escalation.confirm ? 'yes' : 'no'}`,
    `              paging: PagerDuty ${set(config.escalation.paging.pagerduty.routingKey)}, webhook ${config.escalation.paging.webhook.url ? `${new URL(config.escalation.paging.webhook.url).host} (secret ${set(config.escalation.paging.webhook.secret)})` : 'not set'}; allowed ${config.escalation.paging.allow.join(', ') || '(none)'}`,
    `  permissions ${Object.keys(config.permissions.rules).length ? `rules for ${Object.keys(config.permissions.rules).join(', ')}` : 'no rules (everyone may do everything)'}${Object.keys(config.permissions.channels).length ? `; per channel: ${Object.keys(config.permissions.channels).join(', ')}` : ''}; four eyes on high-risk steps ${config.permissions.fourEyes ? 'on' : 'off'}`,
    `  runners     ${config.runners.zones.length ? `zones ${config.runners.zones.join(', ')}${env('runners.zones')}; queue schema ${config.runners.schema}${config.runners.databaseUrl ? ` at ${maskUrl(config.runners.databaseUrl)}` : ''}; deadline ${config.runners.deadlineMs} ms` : 'no zones: every probe runs in this process'}`,
    `  ehlo start opens: ${chosenChannels(config).join(' and ')}`,
  ];
}

export function configErrorText(err: ConfigError): string {
  const vars = ENV_SETTINGS.map((e) => e.name).join(', ');
  return `ehlo: ${err.problems.length} configuration problem(s):\n${err.problems.map(formatConfigProblem).join('\n')}\nFix the setting named above (in the file, or the environment variable: ${vars}). \`ehlo config check\` re-checks.\n`;
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('configuration: ehlo.config.yaml (or --config / EHLO_CONFIG) and environment variables');
  config
    .command('check')
    .description('validate the configuration and print the settings in effect (exit 0 valid, 2 invalid)')
    .option('--config <file>', 'configuration file (default ehlo.config.yaml, or EHLO_CONFIG)')
    .option('--store', 'also open the store and report its health (creates the SQLite file if missing)')
    .addHelpText('after', `\nEnvironment variables (each overrides one setting):\n${ENV_SETTINGS.map((e) => `  ${e.name.padEnd(21)} ${e.path.join('.').padEnd(19)} ${e.doc}`).join('\n')}\n`)
    .action(async (flags: { config?: string; store?: boolean }) => {
      let loaded: LoadedConfig;
      try {
        loaded = loadConfig({ file: flags.config });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(configErrorText(err));
        process.exitCode = EXIT.usage;
        return;
      }
      const lines = describeConfig(loaded);
      if (flags.store) {
        const store = createStore(loaded.config.store);
        try {
          await store.migrate();
          const health = await store.health();
          lines.push(health.ok ? `  store health: ok (${health.where}, schema version ${health.version})` : `  store health: UNAVAILABLE (${health.where}): ${health.message}`);
          if (!health.ok) process.exitCode = EXIT.failed;
        } catch (err) {
          lines.push(`  store health: UNAVAILABLE: ${err instanceof Error ? err.message : String(err)}`);
          process.exitCode = EXIT.failed;
        } finally {
          await store.close();
        }
      }
      process.stdout.write(`${lines.join('\n')}\nThe configuration is valid.\n`);
      process.exitCode ??= EXIT.ok;
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
}
