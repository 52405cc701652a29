// The low-level text of a store failure, for messages and health reports.
export function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorText(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
