// A client's own session with another provider's submission service: Gmail's smtp.gmail.com, SendGrid,
// Mailgun, Amazon SES, Zoho, Yahoo, QQ, NetEase 163, Brevo, Postmark … refusing the client's sign-in
// ("535-5.7.8 Username and Password not accepted … gsmtp", "534-5.7.9 Application-specific password
// required", "535 Authentication Credentials Invalid" from email-smtp.<region>.amazonaws.com). The
// wording is that of an SMTP AUTH failure, so the Exchange Online SMTP AUTH playbooks rank first, but
// their steps (Set-CASMailbox, security defaults, the tenant's SMTP AUTH switch) do not apply: that
// provider's own sign-in rules do (app passwords, API keys, SMTP credentials). The verdict is `none`
// and the result names the provider (`otherProvider`, docs/contracts.md).
//
// Only when all of these hold:
// - the best candidate is a client submission or sign-in topic (AUTH rejected, basic auth off, AUTH
//   required); connection and STARTTLS topics keep their playbook (a blocked port or a TLS-mode
//   mismatch on 465 vs 587 is the same advice whoever runs the host);
// - the paste carries a provider's own mark (its submission host, or a trace only its replies carry:
//   Gmail's "gsmtp", its BadCredentials / InvalidSecondFactor help links and its own AUTH wording, Yahoo's
//   bracketed reason codes such as "(#AUTH005)", NetEase's "User has no permission"), or names the provider as
//   the service it sends through ("tried with Brevo SMTP keys", "it's Hetzner email provider"): the bare
//   name is not enough, a paste may only mention it;
// - a relay refusal ("454 4.7.1 Relay access denied") counts only with the provider's submission host in
//   the paste: that service relays for its signed-in customers only, while the same words from an
//   unnamed server are any relay's (Exchange's receive connectors included);
// - it carries no Microsoft mark (an Exchange Online host, an Exchange component, Microsoft's own
//   AUTH wording) and no sign of a bounce relayed by a server (an NDR's "Remote Server returned",
//   a DSN's Diagnostic-Code): those are Exchange's to explain.
import type { OtherProvider, Signal } from './types.ts';


interface ProviderRow {
  name: string;
  /** Submission host names (exact), or prefixes ending in a dot ("smtp.zoho." for every Zoho region). */
  hosts: readonly string[];
  /** Other traces only this provider's replies carry (lowercase substrings), never its bare name: a paste may only mention it. */
  marks: readonly string[];
  /** The provider's refusal of what its own client submits, for its account's policy (Amazon SES's sandbox): see OWN_POLICY_TOPICS. */
  ownPolicy?: readonly string[];
  /** The paste naming the provider as the service it sends through (lowercase substrings): "brevo smtp", "hetzner email". */
  names?: readonly string[];
  docs: string;
}

/** The providers, each with where its SMTP submission settings are documented. */
export const PROVIDERS: readonly ProviderRow[] = [
  {
    name: 'Gmail',
    hosts: ['smtp.gmail.com', 'smtp.googlemail.com', 'smtp-relay.gmail.com'],
    // Gmail's own wording and help pages: its 530-5.5.1 "Authentication Required. Learn more at", its 534-5.7.14
    // "Please log in via your web browser" (a sign-in Google wants confirmed), and any support.google.com/mail link.
    marks: [
      'gsmtp', '?p=badcredentials', '?p=invalidsecondfactor', '?p=webloginrequired', 'application-specific password required', 'username and password not accepted',
      'authentication required. learn more at', 'please log in via your web browser', 'support.google.com/mail',
    ],
    docs: 'https://support.google.com/mail/answer/7126229',
  },
  { name: 'SendGrid', hosts: ['smtp.sendgrid.net'], marks: ['.sendgrid.net', 'sg esmtp service ready'], docs: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api' },
  { name: 'Mailgun', hosts: ['smtp.mailgun.org', 'smtp.eu.mailgun.org'], marks: ['mailgun is not loving your login'], docs: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp' },
  {
    name: 'Amazon SES',
    hosts: ['email-smtp.'],
    marks: ['simpleemailservice', 'the following identities failed the check in region'],
    ownPolicy: ['the following identities failed the check in region'], docs: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html' },
  { name: 'Zoho Mail', hosts: ['smtp.zoho.', 'smtppro.zoho.', 'smtp.zeptomail.', 'mx.zohomail.com'], marks: [], docs: 'https://www.zoho.com/mail/help/zoho-smtp.html' },
  // Yahoo tags its refusals with a bracketed reason code: "535 5.7.0 (#AUTH005) Too many bad auth attempts", "(#MBR1212) Incorrect username or password".
  { name: 'Yahoo Mail', hosts: ['smtp.mail.yahoo.com', 'smtp.mail.yahoo.co.jp', 'smtp.bizmail.yahoo.com'], marks: ['(#auth0', '(#mbr1'], docs: 'https://help.yahoo.com/kb/SLN4075.html' },
  { name: 'AOL Mail', hosts: ['smtp.aol.com'], marks: [], docs: 'https://help.aol.com/articles/how-do-i-use-other-email-applications-to-send-and-receive-my-aol-mail' },
  // The Chinese providers are named in Chinese as the service a paste sends through ("腾讯企业邮箱", "阿里云企业邮箱"): a
  // sign-in refused beside such a name is that provider's (its authorization code, its client-specific password).
  { name: 'QQ Mail', hosts: ['smtp.qq.com', 'smtp.exmail.qq.com', 'smtp.foxmail.com'], marks: ['service.mail.qq.com', 'qq mail server'], names: ['qq邮箱', '腾讯企业邮箱', '腾讯企业邮'], docs: 'https://service.mail.qq.com/' },
  { name: 'NetEase Mail (163/126)', hosts: ['smtp.163.com', 'smtp.126.com', 'smtp.yeah.net', 'smtp.qiye.163.com'], marks: ['help.mail.163.com', 'user has no permission'], names: ['163邮箱', '126邮箱', '网易邮箱', '网易企业邮箱'], ownPolicy: ['dt:spm'], docs: 'https://help.mail.163.com/' },
  { name: 'Aliyun Mail', hosts: ['smtp.aliyun.com', 'smtp.mxhichina.com', 'smtpdm.aliyun.com'], marks: [], names: ['阿里云企业邮箱', '阿里企业邮箱', '阿里云邮箱'], docs: 'https://help.aliyun.com/document_detail/36576.html' },
  { name: 'Brevo (Sendinblue)', hosts: ['smtp-relay.brevo.com', 'smtp-relay.sendinblue.com'], marks: [], names: ['brevo smtp', 'sendinblue smtp'], docs: 'https://help.brevo.com/hc/en-us/articles/7924908994450' },
  { name: 'Postmark', hosts: ['smtp.postmarkapp.com', 'smtp-broadcasts.postmarkapp.com'], marks: [], docs: 'https://postmarkapp.com/developer/user-guide/send-email-with-smtp' },
  { name: 'Mailjet', hosts: ['in-v3.mailjet.com', 'in.mailjet.com'], marks: [], docs: 'https://documentation.mailjet.com/hc/en-us/articles/360043229473' },
  { name: 'SparkPost', hosts: ['smtp.sparkpostmail.com', 'smtp.eu.sparkpostmail.com'], marks: [], docs: 'https://support.sparkpost.com/docs/getting-started/getting-started-sparkpost' },
  { name: 'Mandrill', hosts: ['smtp.mandrillapp.com'], marks: [], docs: 'https://mailchimp.com/developer/transactional/docs/smtp-integration/' },
  { name: 'iCloud Mail', hosts: ['smtp.mail.me.com'], marks: [], docs: 'https://support.apple.com/en-us/102525' },
  { name: 'Fastmail', hosts: ['smtp.fastmail.com'], marks: [], docs: 'https://www.fastmail.help/hc/en-us/articles/1500000278342' },
  { name: 'Yandex Mail', hosts: ['smtp.yandex.ru', 'smtp.yandex.com'], marks: [], docs: 'https://yandex.com/support/mail/mail-clients/others.html' },
  { name: 'Mail.ru', hosts: ['smtp.mail.ru'], marks: [], docs: 'https://help.mail.ru/mail/mailer/popsmtp' },
  { name: 'GMX', hosts: ['mail.gmx.net', 'mail.gmx.com'], marks: [], docs: 'https://support.gmx.com/pop-imap/toggle.html' },
  { name: 'Hetzner', hosts: ['mail.your-server.de'], marks: [], names: ['hetzner email', 'hetzner mail', 'hetzner smtp'], docs: 'https://docs.hetzner.com/' },
];

/**
 * Topics of a client's own submission and sign-in: what this rule may turn into `none`. The
 * provider's own sending quota is one ("550 5.4.5 Daily user sending limit exceeded … gsmtp",
 * SendGrid's "451 Authentication failed: Maximum credits exceeded"): that provider's plan decides
 * it, and Exchange's recipient rate limit has nothing to do with it.
 */
const SUBMISSION_TOPICS = new Set(['smtp-auth-failed', 'smtp-auth-basic-disabled', 'smtp-auth-disabled-tenant', 'smtp-client-not-authenticated', 'sending-limit-exceeded']);
/**
 * A remote server's own policy: turned into `none` only on a provider's `ownPolicy` mark. The
 * provider refusing what its own client submits (Amazon SES's sandbox, "Email address is not
 * verified. The following identities failed the check in region …") reads like a remote rejection
 * that Exchange relays, but it is that provider's account settings that decide it; Gmail refusing
 * mail sent to it ("… gsmtp") stays a remote rejection.
 */
const OWN_POLICY_TOPICS = new Set(['remote-policy-reject']);
/** A relay refused by the submission service itself: only with that service's host in the paste. */
const RELAY_TOPICS = new Set(['relay-denied']);

/**
 * Microsoft's marks: Exchange Online and Outlook.com hosts, Exchange components, Microsoft's AUTH
 * wording (5.7.139, 5.7.57, "Authentication unsuccessful" of 535 5.7.3), its help links and product
 * names. Not the bare word "Microsoft": a Python path under "Microsoft Visual Studio" tells nothing.
 */
const MICROSOFT = [
  'office365.com', 'outlook.office.com', 'protection.outlook.com', 'prod.outlook.com', 'smtp-mail.outlook.com', 'smtp.live.com',
  'smtpsend.', 'storedrv.', 'resolver.', 'smtpclientauthentication', '5.7.139', '5.7.57', 'authentication unsuccessful',
  'aka.ms/', 'microsoft.com', 'microsoftonline', 'microsoft 365', 'microsoft exchange', 'exchange online', 'exchange server', 'office 365', 'set-casmailbox',
];
/** A bounce relayed by a server: another MTA's reply quoted in an NDR or a DSN, not the client's own session. */
const RELAYED = ['remote server returned', 'generating server', 'diagnostic-code', 'final-recipient', 'remote host said', 'smtp error from remote mail server', 'delivery has failed', 'could not be delivered'];

/** The marks are looked for in this much of the paste. */
const HEAD = 64 * 1024;

/**
 * The provider whose submission service answered, when the best candidate's topics are a client
 * submission topic and the paste shows that provider and nothing of Microsoft's; else undefined.
 */
export function otherProvider(topics: readonly string[], signals: readonly Signal[], lower: string): OtherProvider | undefined {
  const submission = topics.some((t) => SUBMISSION_TOPICS.has(t));
  const relay = !submission && topics.some((t) => RELAY_TOPICS.has(t));
  const ownPolicy = !submission && topics.some((t) => OWN_POLICY_TOPICS.has(t));
  if (!submission && !relay && !ownPolicy) return undefined;
  for (const s of signals) if (s.type === 'component') return undefined;
  const head = lower.length > HEAD ? lower.slice(0, HEAD) : lower;
  for (const m of MICROSOFT) if (head.includes(m)) return undefined;
  for (const m of RELAYED) if (head.includes(m)) return undefined;
  let found: OtherProvider | undefined;
  for (const row of PROVIDERS) {
    // A sign-in or quota: the provider's host or its marks, or the paste naming it as the service it sends through;
    // a relay refusal: only that provider's host; a remote policy refusal: only the provider's own-policy marks.
    const host = submission || relay ? hostOf(row, signals, head) : undefined;
    const mark = host ?? (submission ? row.marks.find((m) => head.includes(m)) ?? row.names?.find((m) => head.includes(m)) : ownPolicy ? (row.ownPolicy ?? []).find((m) => head.includes(m)) : undefined);
    if (!mark) continue;
    // Two providers named (a Gmail account relayed through SendGrid …): no one provider to point at.
    if (found) return undefined;
    found = { name: row.name, ...(host && { host }), evidence: mark, docs: row.docs };
  }
  return found;
}

/** The first of the paste's hosts that is one of the row's submission hosts (a prefix row needs an AWS or provider tail). */
function hostOf(row: ProviderRow, signals: readonly Signal[], head: string): string | undefined {
  for (const s of signals) {
    if (s.type === 'host' && s.span[0] < head.length && row.hosts.some((h) => matchesHost(s.value, h))) return s.value;
  }
  // A host the extractor did not take for one (glued to a port or a word): the exact names only.
  for (const h of row.hosts) if (!h.endsWith('.') && head.includes(h)) return h;
  return undefined;
}

function matchesHost(value: string, host: string): boolean {
  if (!host.endsWith('.')) return value === host;
  if (!value.startsWith(host)) return false;
  // Amazon SES: email-smtp.<region>.amazonaws.com; the other prefixes end in a country or company domain.
  return host === 'email-smtp.' ? value.endsWith('.amazonaws.com') : true;
}
