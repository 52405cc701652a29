// Placeholder until the conversation issue lands: `ehlo start` runs `ehlo match` on stdin.
import type { Command } from 'commander';

export function registerStart(_program: Command): void {}
