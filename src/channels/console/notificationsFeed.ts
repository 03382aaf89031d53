/**
 * The console's notifications: for the console the outbox record itself is the inbox (see
 * src/notifications/compositeNotifier.ts), so this reads the person's deliveries and streams
 * new ones as Server-Sent Events. Polling the outbox every second keeps it working across
 * processes (a worker may have queued the message) with no broker. One poller per process
 * serves every open stream (one query a second whatever the number of open tabs: 50 streams
 * polling on their own made /readyz time out). Everything that knows about deliveries lives here.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Card } from '../../conversation/cards/model';
import { cardToHtml, escapeHtml } from '../../conversation/render/html';
import type { Delivery, DeliveryRepository } from '../../domain/ports';

export interface FeedItem {
  key: string;
  /** The notification's card as HTML (the same markup as replies, buttons included). */
  html: string;
  text: string;
  /** When it was queued (ISO). */
  at: string;
}

export interface FeedOptions {
  deliveries: Pick<DeliveryRepository, 'listForPerson' | 'inboxSince'>;
  logger: Logger;
  pollMs?: number;
  /** How many earlier notifications a new stream starts with. */
  backlog?: number;
  /** A stream ends after this long; EventSource reconnects by itself (bounds a forgotten tab). */
  maxStreamMs?: number;
  heartbeatMs?: number;
}

const isCard = (c: unknown): c is Card => typeof c === 'object' && c !== null && typeof (c as Card).title === 'string';

/** What a stream shows of a message: from a Delivery (the backlog) or the shared poll. */
type InboxMessage = Pick<Delivery, 'key' | 'card' | 'text' | 'createdAt'>;

export function toFeedItem(d: InboxMessage): FeedItem {
  let html: string | undefined;
  if (isCard(d.card)) {
    try {
      html = cardToHtml(d.card);
    } catch {
      html = undefined; // a malformed stored card still shows its text
    }
  }
  return { key: d.key, html: html ?? `<article class="card"><p class="text">${escapeHtml(d.text)}</p></article>`, text: d.text, at: d.createdAt.toISOString() };
}

export interface NotificationsFeed {
  /** Streams the person's notifications to this request until it closes. */
  stream(personId: string, req: Request, res: Response): Promise<void>;
  /** Ends every open stream (module stop). */
  closeAll(): void;
  /** Streams open now (tests, metrics). */
  openStreams(): number;
}

/**
 * Messages stored by other processes may carry a slightly older createdAt than the newest one
 * seen (clocks, in-flight inserts): each poll reaches back this far, and streams drop repeats.
 */
const OVERLAP_MS = 5000;

interface OpenStream {
  personId: string;
  /** Keys already sent, with their createdAt (pruned once older than the overlap). */
  seen: Map<string, number>;
  send(items: InboxMessage[]): void;
}

export function createNotificationsFeed(opts: FeedOptions): NotificationsFeed {
  const { deliveries, logger, pollMs = 1000, backlog = 20, maxStreamMs = 10 * 60_000, heartbeatMs = 15_000 } = opts;
  const open = new Set<() => void>();
  const streams = new Set<OpenStream>();

  // The shared poller: runs while at least one stream is open.
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let since: number | undefined;
  const poll = async () => {
    if (busy || !streams.size) return;
    busy = true;
    try {
      const from = since ?? Date.now() - OVERLAP_MS;
      const people = [...new Set([...streams].map((s) => s.personId))];
      const items = await deliveries.inboxSince(people, new Date(from - OVERLAP_MS));
      for (const item of items) since = Math.max(since ?? 0, item.createdAt.getTime());
      since ??= from;
      const byPerson = new Map<string, InboxMessage[]>();
      for (const item of items) byPerson.set(item.toPersonId, [...(byPerson.get(item.toPersonId) ?? []), item]);
      for (const s of streams) {
        const mine = byPerson.get(s.personId);
        if (mine) s.send(mine);
      }
    } catch (err) {
      logger.warn({ err }, 'console notifications: reading the outbox failed');
    } finally {
      busy = false;
    }
  };
  const join = (s: OpenStream) => {
    streams.add(s);
    timer ??= setInterval(() => void poll(), pollMs);
  };
  const leave = (s: OpenStream) => {
    streams.delete(s);
    if (!streams.size && timer) {
      clearInterval(timer);
      timer = undefined;
      since = undefined;
    }
  };

  return {
    closeAll: () => [...open].forEach((close) => close()),
    openStreams: () => streams.size,

    async stream(personId, req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 2000\n\n');

      let closed = false;
      const s: OpenStream = {
        personId,
        seen: new Map(),
        send(items) {
          if (closed) return;
          // The http server stopped listening (shutdown): end the stream so draining can finish.
          const server = (req.socket as { server?: { listening?: boolean } }).server;
          if (server && server.listening === false) return close();
          let newest = 0;
          for (const d of [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
            newest = Math.max(newest, d.createdAt.getTime());
            if (s.seen.has(d.key)) continue;
            s.seen.set(d.key, d.createdAt.getTime());
            res.write(`event: notification\nid: ${d.key.replace(/[\r\n]/g, '')}\ndata: ${JSON.stringify(toFeedItem(d))}\n\n`);
          }
          for (const [key, at] of s.seen) if (at < newest - 4 * OVERLAP_MS) s.seen.delete(key);
        },
      };

      const heartbeat = setInterval(() => {
        const server = (req.socket as { server?: { listening?: boolean } }).server;
        if (server && server.listening === false) return close();
        res.write(': ping\n\n');
      }, Math.min(heartbeatMs, 1000 * 60));
      const limit = setTimeout(() => close(), maxStreamMs);
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(limit);
        open.delete(close);
        leave(s);
        res.end();
      }
      open.add(close);
      req.on('close', close);

      try {
        s.send((await deliveries.listForPerson(personId)).slice(0, backlog));
        if (closed) return;
        res.write('event: ready\ndata: {}\n\n');
      } catch (err) {
        logger.warn({ err, personId }, 'console notifications: reading the outbox failed');
      }
      if (!closed) join(s);
    },
  };
}
