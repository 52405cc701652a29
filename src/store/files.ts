// The SQLite file on disk: its folder is created owner-only, the database (and its WAL and shared
// memory files) is readable by its owner alone (it holds notes and addresses), and a file that
// exists but is empty is refused: ehlo never leaves it so, so something truncated it, and starting
// over silently would hide the loss. Two cases are not that: a file another process is creating this
// moment (SQLite makes it empty first), and a database whose pages are all still in its WAL file.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export class EmptyStoreFileError extends Error {
  constructor(path: string) {
    super(`${path} is empty (0 bytes): it was truncated, or made by something other than ehlo. ehlo will not start over on it silently; move it aside (or delete it) to start with an empty store, or restore it from a backup.`);
    this.name = 'EmptyStoreFileError';
  }
}

/** An empty file younger than this may be one another process is creating. */
const CREATING_MS = 30_000;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Create the folder (owner-only) and refuse an existing empty file that nothing is creating and no WAL file fills. */
export function prepareFile(path: string, now = Date.now()): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.size === 0 && sizeOf(`${path}-wal`) === 0 && now - st.mtimeMs > CREATING_MS) throw new EmptyStoreFileError(path);
}

/** Make the database and its companion files owner-only (best effort on file systems without modes). */
export function secureFile(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(p) && (statSync(p).mode & 0o777) !== FILE_MODE) chmodSync(p, FILE_MODE);
    } catch {
      // A read-only or mode-less file system: nothing to tighten here, and nothing to fail for.
    }
  }
}
