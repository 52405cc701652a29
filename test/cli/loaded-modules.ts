// Runs the CLI like bin/ehlo.js and, at exit, prints on stderr every module URL it resolved
// (test/cli/startup.test.ts checks that a subcommand loads only what it needs).
import module from 'node:module';

const loaded: string[] = [];
module.registerHooks({
  resolve(specifier, context, nextResolve) {
    const r = nextResolve(specifier, context);
    loaded.push(r.url);
    return r;
  },
});
// Node's own modules as loaded (process.moduleLoadList): what a builtin's import built, not only what was asked for.
const builtins = (): string[] => ((process as unknown as { moduleLoadList: string[] }).moduleLoadList).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
process.on('exit', () => process.stderr.write(`\nLOADED ${JSON.stringify(loaded)}\nBUILTINS ${JSON.stringify(builtins())}\n`));
const { main } = await import('../../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
