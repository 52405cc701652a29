#!/usr/bin/env node
// The `ehlo` command. Runs the TypeScript sources directly (Node 24 type stripping, no build step).
// Node's compile cache keeps the stripped and compiled modules between runs (under
// node_modules/.cache/ehlo/compile), so a warm start does not strip the TypeScript again; an
// unwritable cache only costs that time. `--version` answers before any module is loaded.
import module from 'node:module';

// node:fs through require: its ESM facade would evaluate fs.promises (readline, os …) at every start.
const { readFileSync } = module.createRequire(import.meta.url)('node:fs');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  if (argv[0] === 'match') {
    // `ehlo match` builds its matcher from a few MB of objects that all stay alive: the young
    // generation grows in one step instead of doubling through half a dozen scavenges that each
    // copy all of them (a V8 sizing knob only; nothing else changes).
    const { setFlagsFromString } = await import('node:v8');
    setFlagsFromString('--semi-space-growth-factor=16');
  }
  try {
    module.enableCompileCache?.(new URL('../node_modules/.cache/ehlo/compile', import.meta.url).pathname);
  } catch {
    // No compile cache: the same program, started a little slower.
  }
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
