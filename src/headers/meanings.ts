// What the fields of Microsoft's anti-spam headers mean, in our own words. Source: Microsoft Learn,
// "Anti-spam message headers in Microsoft 365" (message-headers-eop-mdo), "Spam confidence level
// (SCL)", "Bulk complaint level (BCL)" and the Exchange Server "Anti-spam stamps" page. Fields that
// Microsoft leaves undocumented (SFS, SFP, DIR, EFV, MLV …) are named, not interpreted.

export const REFERENCES = {
  headers: 'https://learn.microsoft.com/en-us/defender-office-365/message-headers-eop-mdo',
  scl: 'https://learn.microsoft.com/en-us/defender-office-365/anti-spam-spam-confidence-level-scl-about',
  bcl: 'https://learn.microsoft.com/en-us/defender-office-365/anti-spam-bulk-complaint-level-bcl-about',
  stamps: 'https://learn.microsoft.com/en-us/exchange/antispam-and-antimalware/antispam-protection/antispam-stamps',
} as const;

/** X-Forefront-Antispam-Report field names. */
export const FOREFRONT_FIELDS: Record<string, string> = {
  ARC: 'ARC (authenticated received chain) details recorded by the service',
  CAT: 'the protection category (policy) that decided the message\'s fate',
  CIP: 'the IP address that connected to Microsoft (usable in the connection filter allow/block lists)',
  CTRY: 'the country of the connecting IP (not necessarily where the mail was written)',
  H: 'the HELO/EHLO name the connecting server gave',
  IPV: 'the connection filter\'s verdict on the connecting IP',
  LANG: 'the language the message was detected to be written in',
  PTR: 'the reverse DNS (PTR) name of the connecting IP',
  SCL: 'the spam confidence level: higher means more likely spam',
  PCL: 'the phishing confidence level',
  SFTY: 'the phishing safety marker (impersonation or first-contact tips)',
  SFV: 'the spam filtering verdict',
  SRV: 'the service verdict (BULK when the bulk complaint level crossed the threshold)',
  SFS: 'internal rule identifiers of the spam filter (undocumented by Microsoft)',
  SFP: 'internal spam filter field (undocumented)',
  DIR: 'the direction of the message: INB inbound, OUT outbound, INT internal',
  EFV: 'internal field (undocumented)',
  MLV: 'internal field (undocumented)',
  SPF: 'the older place the SPF result was stamped (before Authentication-Results)',
  FPR: 'internal field (undocumented)',
  RD: 'internal field (undocumented)',
  MX: 'internal field (undocumented)',
  A: 'internal field (undocumented)',
  SRVR: 'the Microsoft server that filtered the message',
  BCL: 'the bulk complaint level',
};

export const SFV: Record<string, string> = {
  BLK: 'filtering was skipped and the message blocked: the sender is on the recipient\'s Blocked Senders list',
  NSPM: 'spam filtering judged the message not spam',
  SFE: 'filtering was skipped and the message allowed: the sender is on the recipient\'s Safe Senders list',
  SKA: 'spam filtering was skipped because an anti-spam policy\'s allowed senders or allowed domains list names the sender',
  SKB: 'marked spam because an anti-spam policy\'s blocked senders or blocked domains list names the sender',
  SKI: 'an intra-organization message, marked from its content without the usual inbound filtering',
  SKN: 'marked not spam before spam filtering ran, typically by a mail flow (transport) rule setting SCL -1 or "bypass spam filtering"',
  SKQ: 'released from quarantine and delivered',
  SKS: 'marked spam before spam filtering ran, typically by a mail flow rule setting SCL 5 to 9',
  SPM: 'spam filtering judged the message spam',
  BULK: 'judged bulk mail by the bulk complaint level',
};

export const CAT: Record<string, string> = {
  BULK: 'bulk mail: the bulk complaint level crossed the policy threshold',
  DIMP: 'domain impersonation (Defender for Office 365 anti-phishing)',
  GIMP: 'impersonation detected by mailbox intelligence',
  HPHSH: 'high confidence phishing',
  HPHISH: 'high confidence phishing',
  HSPM: 'high confidence spam',
  MALW: 'malware',
  PHSH: 'phishing',
  SPM: 'spam',
  SPOOF: 'spoofing: the sender failed composite authentication or spoof intelligence',
  UIMP: 'user impersonation (Defender for Office 365 anti-phishing)',
  AMP: 'anti-malware policy',
  SAP: 'Safe Attachments (Defender for Office 365)',
  FTBP: 'the anti-malware common attachments (file type) filter',
  OSPM: 'outbound spam (the message was judged spam when it left a Microsoft 365 tenant)',
  INTOS: 'intra-organization phishing',
  NONE: 'no protection category applied',
};

export const IPV: Record<string, string> = {
  CAL: 'spam filtering was skipped because the connecting IP is on the connection filter\'s IP Allow List',
  NLI: 'the connecting IP is on no IP reputation list',
};

export const SFTY: Record<string, string> = {
  '9.19': 'domain impersonation: the sending domain imitates a protected domain',
  '9.20': 'user impersonation: the sender imitates a protected user or someone in your organization',
  '9.25': 'first contact safety tip: the recipient has not had mail from this sender before',
};

export const DEST: Record<string, string> = {
  I: 'delivered to the Inbox',
  J: 'delivered to the Junk Email folder',
  C: 'delivered to a custom folder (an inbox rule)',
  D: 'deleted items',
};

/** SCL -1..9 in words. */
export function sclMeaning(scl: number): string {
  if (scl === -1) return 'not spam because filtering was skipped (an allow entry, a safe sender, a mail flow rule, or mail from inside the organization)';
  if (scl === 0 || scl === 1) return 'not spam: filtering found nothing';
  if (scl >= 2 && scl <= 4) return 'not spam (values 2 to 4 are not used by Exchange Online Protection; an on-premises filter or a rule set it)';
  if (scl === 5 || scl === 6) return 'spam: delivered to Junk Email or quarantined as the anti-spam policy says';
  if (scl >= 7 && scl <= 9) return 'high confidence spam';
  return 'outside the documented range -1 to 9';
}

/** BCL 0..9 in words. */
export function bclMeaning(bcl: number): string {
  if (bcl === 0) return 'not from a bulk sender';
  if (bcl >= 1 && bcl <= 3) return 'from a bulk sender with few complaints';
  if (bcl >= 4 && bcl <= 7) return 'from a bulk sender with a mixed number of complaints';
  if (bcl >= 8 && bcl <= 9) return 'from a bulk sender with many complaints';
  return 'outside the documented range 0 to 9';
}

/** PCL 0..8 in words. */
export function pclMeaning(pcl: number): string {
  if (pcl >= 0 && pcl <= 3) return 'content unlikely to be phishing';
  if (pcl >= 4 && pcl <= 8) return 'content likely to be phishing';
  return 'outside the documented range 0 to 8';
}
