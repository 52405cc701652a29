// Words that, right before a number shaped like an SMTP enhanced status code (RFC 3463: a class
// 2, 4 or 5, then two dotted numbers), make it a version instead: the word "version" and its kin,
// and software whose banners, X-Mailer headers, log lines and stack traces print a version of that
// shape ("Exim 4.94.2", "PHPMailer 5.2.28", "node 4.4.7", "Apache 2.4.41", "Linux 5.15.0").
// Used by the signal extraction (code-context.ts) and by the success-log check (success.ts).

/** The words that name a version themselves: they take one also after a sign ("Version: 5.2.2", "ver=4.4.7"). */
export const VERSION_TERMS: ReadonlySet<string> = new Set(['version', 'ver', 'release', 'build', 'rev', 'revision']);

/**
 * Those, and software names and kin, which take one only after blanks: "MailKit: 5.7.60 …" quotes
 * what MailKit said (a code), "MailKit 4.4.7" is its version.
 */
export const VERSION_WORDS: ReadonlySet<string> = new Set([
  ...VERSION_TERMS, 'patch', 'firmware', 'framework', 'runtime', 'sdk',
  // Mail servers, libraries and clients.
  'phpmailer', 'exim', 'postfix', 'sendmail', 'dovecot', 'mailkit', 'mimekit', 'javamail', 'nodemailer',
  'swiftmailer', 'haraka', 'opensmtpd', 'qmail', 'courier', 'zimbra', 'hmailserver', 'mdaemon', 'kerio', 'axigen',
  'smartermail', 'postal', 'mailu', 'mailcow', 'roundcube', 'thunderbird', 'symfony', 'laravel', 'wordpress',
  // Languages, runtimes, web stacks and operating systems.
  'node', 'nodejs', 'js', 'npm', 'jquery', 'python', 'php', 'perl', 'ruby', 'rails', 'django', 'spring', 'gradle',
  'maven', 'java', 'jdk', 'openssl', 'apache', 'httpd', 'tomcat', 'nginx', 'bootstrap', 'angular', 'linux', 'kernel',
  'android', 'ios',
]);
