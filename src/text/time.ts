// Times as replies show them: the hour and minute in UTC ("14:05 UTC"), from an ISO timestamp.
/** "10:02 UTC": neutral, unambiguous across the people in a thread. */
export function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}
