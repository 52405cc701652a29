// Exit codes shared by every subcommand (docs/contracts.md).
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

/** A usage problem found after commander parsed the arguments; main() turns it into exit 2. */
export class UsageError extends Error {}
