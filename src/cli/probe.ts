// Placeholder: the probe issue replaces this with `ehlo probe <kind> <target>`.
import type { Command } from 'commander';

export function registerProbe(_program: Command): void {}
