/**
 * The console's notifications: for the console the outbox record itself is the inbox (see
 * src/notifications/compositeNotifier.ts), so this reads the person's deliveries and streams
 * new ones as Server-Sent Events. Polling the outbox every second keeps it working across
 * processes (a worker may have queued the message) with no broker. Everything that knows
 * about deliveries lives in this file.
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
  deliveries: Pick<DeliveryRepository, 'listForPerson'>;
  logger: Logger;
  pollMs?: number;
  /** How many earlier notifications a new stream starts with. */
  backlog?: number;
  /** A stream ends after this long; EventSource reconnects by itself (bounds a forgotten tab). */
  maxStreamMs?: number;
  heartbeatMs?: number;
}

const isCard = (c: unknown): c is Card => typeof c === 'object' && c !== null && typeof (c as Card).title === 'string';

export function toFeedItem(d: Delivery): FeedItem {
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
}

export function createNotificationsFeed(opts: FeedOptions): NotificationsFeed {
  const { deliveries, logger, pollMs = 1000, backlog = 20, maxStreamMs = 10 * 60_000, heartbeatMs = 15_000 } = opts;
  const open = new Set<() => void>();

  return {
    closeAll: () => [...open].forEach((close) => close()),

    async stream(personId, req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 2000\n\n');

      // Dedup by key; `since` is the newest createdAt seen (the outbox's clock, not ours).
      const seen = new Map<string, number>();
      let since: Date | undefined;
      let closed = false;
      let busy = false;

      const send = (items: Delivery[]) => {
        for (const d of [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
          if (seen.has(d.key)) continue;
          seen.set(d.key, d.createdAt.getTime());
          if (!since || d.createdAt > since) since = d.createdAt;
          res.write(`event: notification\nid: ${d.key.replace(/[\r\n]/g, '')}\ndata: ${JSON.stringify(toFeedItem(d))}\n\n`);
        }
        for (const [key, at] of seen) if (since && at < since.getTime()) seen.delete(key);
      };

      const poll = async () => {
        if (closed || busy) return;
        // The http server stopped listening (shutdown): end the stream so draining can finish.
        const server = (req.socket as { server?: { listening?: boolean } }).server;
        if (server && server.listening === false) return close();
        busy = true;
        try {
          send(await deliveries.listForPerson(personId, since));
        } catch (err) {
          logger.warn({ err, personId }, 'console notifications: reading the outbox failed');
        } finally {
          busy = false;
        }
      };

      const timer = setInterval(() => void poll(), pollMs);
      const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
      const limit = setTimeout(() => close(), maxStreamMs);
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(heartbeat);
        clearTimeout(limit);
        open.delete(close);
        res.end();
      }
      open.add(close);
      req.on('close', close);

      try {
        send((await deliveries.listForPerson(personId)).slice(0, backlog));
        res.write('event: ready\ndata: {}\n\n');
      } catch (err) {
        logger.warn({ err, personId }, 'console notifications: reading the outbox failed');
      }
    },
  };
}
