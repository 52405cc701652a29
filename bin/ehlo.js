#!/usr/bin/env node
// The `ehlo` command. Runs the TypeScript sources directly (Node 24 type stripping, no build step).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
