// `npm run bench`: every benchmark section in turn. Figures only; nothing here passes or fails.
import { existsSync } from 'node:fs';
import { benchMatcher } from './matcher.ts';

await benchMatcher();
for (const section of ['./cli.ts', './headers.ts', './probes.ts', './walkthrough.ts', './conversation.ts', './text.ts', './slack.ts', './teams.ts', './runner.ts', './replicas.ts']) {
  if (!existsSync(new URL(section, import.meta.url))) continue;
  console.log('');
  const mod = (await import(section)) as { default?: () => Promise<void> | void; run?: () => Promise<void> | void };
  await (mod.run ?? mod.default)?.();
}
