// Where ehlo may send replies: an activity's `serviceUrl` is only trusted when its host is one of
// Microsoft's Bot Connector hosts (Teams worldwide and the government clouds), over https; in
// development mode loopback (the Agents Playground, our tests) is allowed too. A forged serviceUrl
// therefore cannot make ehlo call another host. Plugged into the SDK's CloudAdapter as its
// OutboundUrlPolicy, so the adapter refuses the activity before it creates a connector client.
import type { OutboundUrlPolicy } from '@microsoft/agents-hosting';

/** Host suffixes of the Bot Connector service Teams gives as serviceUrl. */
export const CONNECTOR_HOST_SUFFIXES: readonly string[] = [
  'smba.trafficmanager.net',
  'botframework.com',
  'botframework.us',
  'botframework.azure.us',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Verdicts remembered (every activity and every reply asks about the same few serviceUrls), for URLs this long at most. */
const REMEMBERED = 1000;
const REMEMBERED_LENGTH = 1000;

export class ConnectorHostPolicy implements OutboundUrlPolicy {
  readonly enabled = true;
  readonly #loopback: boolean;
  readonly #verdicts = new Map<string, boolean>();

  constructor(options: { allowLoopback: boolean }) {
    this.#loopback = options.allowLoopback;
  }

  isAllowed(input: string | URL | null | undefined): boolean {
    if (!input) return false;
    if (typeof input !== 'string' || input.length > REMEMBERED_LENGTH) return this.#judge(input);
    let verdict = this.#verdicts.get(input);
    if (verdict === undefined) {
      verdict = this.#judge(input);
      if (this.#verdicts.size >= REMEMBERED) this.#verdicts.clear();
      this.#verdicts.set(input, verdict);
    }
    return verdict;
  }

  #judge(input: string | URL): boolean {
    let url: URL;
    try {
      url = input instanceof URL ? input : new URL(input);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    const host = url.hostname.toLowerCase();
    if (LOOPBACK.has(host)) return this.#loopback && (url.protocol === 'http:' || url.protocol === 'https:');
    if (url.protocol !== 'https:') return false;
    return CONNECTOR_HOST_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
  }
}
