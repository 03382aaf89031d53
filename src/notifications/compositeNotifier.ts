/**
 * Routes one OutboundMessage to every channel it can reach. Slack and Teams register their
 * Notifier later (by channel name); the 'console' pseudo-channel is always there: for it the
 * delivery record itself is the inbox (the web console lists deliveries per person).
 */
import type { Notifier, OutboundMessage, PeopleRepository } from '../domain/ports';
import type { Person } from '../domain/types';

export const CONSOLE_CHANNEL = 'console';

/** Whether a channel can reach a person; defaults below for the two chat channels. */
export type Reaches = (person: Person) => boolean;

const DEFAULT_REACHES: Record<string, Reaches> = {
  slack: (p) => Boolean(p.slackUserId),
  teams: (p) => Boolean(p.teamsAadObjectId),
};

/** What one delivery attempt achieved, channel by channel. */
export interface RouteResult {
  /** Every channel that has the message now (including those sent by earlier attempts). */
  refs: Record<string, string>;
  /** Channels that failed this attempt, with their error. */
  errors: Record<string, string>;
}

export class CompositeNotifier implements Notifier {
  private channels = new Map<string, { notifier: Notifier; reaches: Reaches }>();
  /** Who is reachable where changes rarely; a short cache spares a lookup per message. */
  private cache = new Map<string, { person: Promise<Person | null>; until: number }>();

  constructor(
    private readonly people: Pick<PeopleRepository, 'findById' | 'findMany'>,
    private readonly cacheMs = 30_000,
  ) {}

  /**
   * Looks up, in one read, the recipients of messages about to be sent that are not cached (the
   * outbox calls it per batch). Without it each recipient is a history read of its own, and on
   * FerretDB 100 such reads behind a burst's bulk writes took seconds each (bench:scheduler).
   * Someone the list lacks (a write in flight) is read from their history, as before.
   */
  async prepare(messages: OutboundMessage[]): Promise<void> {
    if (!this.people.findMany || this.cacheMs <= 0) return;
    const now = Date.now();
    const ids = [...new Set(messages.flatMap((m) => ('personId' in m.to ? [m.to.personId] : [])))].filter((id) => !((this.cache.get(id)?.until ?? 0) > now));
    if (!ids.length) return;
    const found = this.people.findMany(ids).then((all) => new Map(all.map((p) => [p.id, p])));
    // Shared by sends to these people while it is in flight; one it does not find is read alone.
    for (const id of ids) {
      const person = found.then((byId) => byId.get(id) ?? this.people.findById(id));
      this.cache.set(id, { person, until: now + this.cacheMs });
      person.catch(() => this.cache.delete(id)); // a failed read is not remembered
    }
    await found.catch(() => undefined);
  }

  private async person(id: string): Promise<Person | null> {
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.person;
    // The lookup itself is cached, so sends to one person at the same time share one read (a
    // burst to 100 people made 200 reads, each several point reads, before the first returned).
    const person = this.people.findById(id);
    if (this.cacheMs > 0) {
      this.cache.set(id, { person, until: Date.now() + this.cacheMs });
      person.catch(() => this.cache.delete(id)); // a failed read is not remembered
    }
    return person;
  }

  /** Adds (or replaces) a channel. `reaches` says which people it can message directly. */
  register(channel: string, notifier: Notifier, reaches?: Reaches): this {
    if (channel === CONSOLE_CHANNEL) throw new Error(`'${CONSOLE_CHANNEL}' is built in`);
    this.channels.set(channel, { notifier, reaches: reaches ?? DEFAULT_REACHES[channel] ?? (() => true) });
    return this;
  }

  registered(): string[] {
    return [...this.channels.keys()];
  }

  /** The channels a message goes to: the person's reachable channels, or all for a shared channel. */
  async targets(message: OutboundMessage): Promise<string[]> {
    return (await this.resolve(message)).targets;
  }

  /** The channels a message goes to, and its recipient when it is for a person. */
  private async resolve(message: OutboundMessage): Promise<{ targets: string[]; recipient?: Person }> {
    if (!('personId' in message.to)) return { targets: [...this.channels.keys(), CONSOLE_CHANNEL] };
    const person = await this.person(message.to.personId);
    if (!person) throw new Error(`no person with id ${message.to.personId}`);
    return { targets: [...[...this.channels].filter(([, c]) => c.reaches(person)).map(([name]) => name), CONSOLE_CHANNEL], recipient: person };
  }

  /**
   * Sends to each target not already in `alreadySent` (a retry after a partial failure must not
   * message a channel twice). Never throws for a channel failure: it is reported in `errors`.
   */
  async route(message: OutboundMessage, alreadySent: Record<string, string> = {}): Promise<RouteResult> {
    const refs = { ...alreadySent };
    const errors: Record<string, string> = {};
    // The channel is handed the recipient already read, so it does not read them again.
    const { targets, recipient } = await this.resolve(message);
    for (const channel of targets) {
      if (refs[channel]) continue;
      if (channel === CONSOLE_CHANNEL) {
        refs[channel] = message.key;
        continue;
      }
      try {
        refs[channel] = (await this.channels.get(channel)!.notifier.send(message, recipient)).ref;
      } catch (e) {
        errors[channel] = e instanceof Error ? e.message : String(e);
      }
    }
    return { refs, errors };
  }

  /** Notifier interface: throws when any channel failed. */
  async send(message: OutboundMessage): Promise<{ ref: string }> {
    const { refs, errors } = await this.route(message);
    const failed = Object.entries(errors);
    if (failed.length) throw new Error(failed.map(([c, e]) => `${c}: ${e}`).join('; '));
    return { ref: JSON.stringify(refs) };
  }
}
