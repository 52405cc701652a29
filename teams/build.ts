// `npm run manifest`: build the Teams app package from the configuration (TEAMS_APP_ID, TEAMS_PUBLIC_HOST
// or teams.appId / teams.publicHost in ehlo.config.yaml) into data/ehlo-teams.zip.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, formatConfigProblem, loadConfig } from '../src/config.ts';
import { buildPackage } from './package.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig().config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ehlo: ${err.problems.map(formatConfigProblem).join('\n')}\n`);
    return 2;
  }
  const { appId, publicHost } = config.teams;
  if (!appId || !publicHost) {
    process.stderr.write('ehlo: set TEAMS_APP_ID (the bot\'s Microsoft app id) and TEAMS_PUBLIC_HOST (the host name of its HTTPS endpoint), or teams.appId and teams.publicHost in ehlo.config.yaml.\n');
    return 2;
  }
  const { zip } = await buildPackage(appId, publicHost);
  const out = resolve(process.argv[2] ?? 'data/ehlo-teams.zip');
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, zip);
  process.stdout.write(`ehlo: Teams app package for app ${appId} at ${publicHost} written to ${out} (${zip.length} bytes). Upload it in Teams: Apps › Manage your apps › Upload an app.\n`);
  return 0;
}

process.exitCode = await main();
