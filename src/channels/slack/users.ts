// Display names for timelines: users.info once per person (cached, bounded), the id when Slack
// cannot say. A press carries the person's user name; a message only their id.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { Lru } from './lru.ts';

const TTL_MS = 60 * 60 * 1000;

interface UserInfo {
  user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } };
}

export class UserNames {
  readonly #client: WebClient;
  readonly #logger: Logger;
  readonly #cache = new Lru<string, { name: string; at: number } | Promise<string>>(5000);

  constructor(client: WebClient, logger: Logger) {
    this.#client = client;
    this.#logger = logger;
  }

  /** The person's display name (or real name, user name, id). */
  async name(id: string, hint?: string): Promise<string> {
    const hit = this.#cache.get(id);
    if (hit instanceof Promise) return hit;
    if (hit && Date.now() - hit.at < TTL_MS) return hit.name;
    const lookup = this.#lookup(id, hint);
    this.#cache.set(id, lookup);
    const name = await lookup;
    this.#cache.set(id, { name, at: Date.now() });
    return name;
  }

  async #lookup(id: string, hint: string | undefined): Promise<string> {
    try {
      const res = (await this.#client.users.info({ user: id })) as UserInfo;
      const u = res.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || hint || id;
      return name.slice(0, 80);
    } catch (err) {
      this.#logger.debug({ user: id, err: err instanceof Error ? err.message : String(err) }, 'users.info failed; using the id as the name');
      return (hint || id).slice(0, 80);
    }
  }
}
