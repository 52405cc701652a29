// A full garbage collection on request, for batch work that just dropped a very large input (a
// `--jsonl` line of megabytes): V8 lets the dead copies of such a line (its bytes, its text, the
// parsed paste, the matcher's lowercase) pile up in its large-object space until the heap's next
// growth limit, which let peak RSS wander from 170 to 290 MiB over the same 50 MB input. Collecting
// after each such line keeps it near the steady state. The collector is asked for through V8's
// `--expose-gc` set at run time (a fresh context then has `gc`); where that is refused, nothing is done.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
      gc = found;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
