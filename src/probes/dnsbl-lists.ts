// What each answer of the common DNS blocklists means, and where a listing is removed: one row per list,
// in our own words from each operator's documentation (Spamhaus: docs.spamhaus.com, datasets, "Available
// Zones"; the others from their listing and removal pages). A zone not here is reported by its code alone.

export interface ListInfo {
  name: string;
  /** Answer (127.0.0.x) → what it means and what to do. */
  codes: Record<string, string>;
  /** Where the listing is looked up and removal is asked for. */
  delist: string;
  /** How listings end when nobody asks. */
  expiry?: string;
}

const LISTS: Record<string, ListInfo> = {
  'zen.spamhaus.org': {
    name: 'Spamhaus ZEN',
    codes: {
      '127.0.0.2': 'SBL: Spamhaus lists this address as a spam source or spam service; find and stop the sender before asking',
      '127.0.0.3': 'SBL CSS: automated listing for low-reputation or snowshoe-like sending from this address',
      '127.0.0.4': 'XBL: the address behaves like an infected or hijacked machine (malware, open proxy); clean the host first',
      '127.0.0.9': 'DROP: the whole netblock is hijacked or run by criminals; talk to the network owner',
      '127.0.0.10': 'PBL (set by the ISP): this range should not send mail directly; send through the ISP\'s or your own smart host',
      '127.0.0.11': 'PBL (set by Spamhaus): this range looks like end-user space that should not send mail directly',
      '127.0.0.30': 'BCL: the address is a botnet controller',
    },
    delist: 'https://check.spamhaus.org/',
  },
  'bl.spamcop.net': {
    name: 'SpamCop',
    codes: { '127.0.0.2': 'SpamCop users reported spam from this address' },
    delist: 'https://www.spamcop.net/bl.shtml',
    expiry: 'listings end by themselves about a day after the reports stop',
  },
  'b.barracudacentral.org': {
    name: 'Barracuda Reputation Block List',
    codes: { '127.0.0.2': 'the address has a poor sending reputation at Barracuda' },
    delist: 'https://www.barracudacentral.org/rbl/removal-request',
  },
  'psbl.surriel.com': {
    name: 'Passive Spam Block List',
    codes: { '127.0.0.2': 'the address sent mail to PSBL spam traps' },
    delist: 'https://psbl.org/',
    expiry: 'removal is self-service and immediate',
  },
  'bl.mailspike.net': {
    name: 'Mailspike',
    codes: { '127.0.0.2': 'the address has a bad reputation in Mailspike\'s data' },
    delist: 'https://mailspike.org/',
  },
  'dnsbl-1.uceprotect.net': {
    name: 'UCEPROTECT level 1',
    codes: { '127.0.0.2': 'this one address sent mail to UCEPROTECT spam traps' },
    delist: 'https://www.uceprotect.net/en/rblcheck.php',
    expiry: 'listings end by themselves about a week after the last trap hit',
  },
  'all.s5h.net': {
    name: 's5h.net',
    codes: { '127.0.0.2': 'the address sent mail to s5h.net spam traps' },
    delist: 'https://www.s5h.net/',
  },
};

export function listInfo(zone: string): ListInfo | undefined {
  return LISTS[zone.toLowerCase()];
}

/** "127.0.0.4: XBL: …" per code, then where to delist; just the codes for a list not in the table. */
export function explainListing(zone: string, codes: readonly string[]): string {
  const info = listInfo(zone);
  if (!info) return codes.join(', ');
  const meanings = codes.map((c) => `${c}: ${info.codes[c] ?? 'a code this list does not document'}`);
  return `${meanings.join('; ')}. Delist: ${info.delist}${info.expiry ? ` (${info.expiry})` : ''}`;
}
