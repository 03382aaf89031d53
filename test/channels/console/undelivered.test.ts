/**
 * G19: a notification the outbox could not deliver shows on the dashboard. Deliveries go
 * through the real Dispatcher with a router that refuses some messages, so "failed" and "dead"
 * come from the outbox's own retry logic, not from records written by hand.
 */
import { Dispatcher, type DeliveryRouter } from '../../../src/notifications';
import { escapeHtml } from '../../../src/conversation/render/html';
import { createDeliveryRepository } from '../../../src/store/deliveries.repo';
import { useConsoleServer } from './harness';

const h = useConsoleServer();
const key = (name: string) => `console-test.${name}:${process.pid}`;

/** Sends only the message keyed "sent"; every other one fails the way a Slack call would. */
const router: DeliveryRouter = {
  async route(message, alreadySent) {
    const errors: Record<string, string> = {};
    if (message.key === key('sent')) return { refs: { ...alreadySent, console: 'ok' }, errors };
    errors.slack = 'channel_not_found';
    return { refs: { ...alreadySent }, errors };
  },
};

describe('dashboard: undelivered notifications', () => {
  it('lists dead and failed deliveries with recipient, key, attempts, last error and next attempt; not the sent ones', async () => {
    const repo = createDeliveryRepository(h.ctx.conn);
    // Starts after anything the harness queued, so the dispatcher below only meets these.
    let now = new Date(Date.now() + 3_600_000);
    const dispatcher = new Dispatcher({ deliveries: repo, clock: { now: () => now }, router }, { maxAttempts: 2, baseBackoffMs: 1000, orphanCheckEveryMs: 1e12 });
    const pm = h.team.llm_product_manager;

    await repo.enqueue({ key: key('dead'), to: { personId: pm.id }, card: null, text: 'You will never see this' }, now);
    await repo.enqueue({ key: key('sent'), to: { personId: pm.id }, card: null, text: 'Delivered' }, now);
    await dispatcher.dispatchDue();
    now = new Date(now.getTime() + 5000);
    await dispatcher.dispatchDue(); // the second and last attempt: dead
    await repo.enqueue({ key: key('failed'), to: { channel: 'incidents' }, card: null, text: 'Retry me' }, now);
    await dispatcher.dispatchDue();

    const dead = (await repo.get(key('dead')))!;
    const failed = (await repo.get(key('failed')))!;
    expect(dead.status).toBe('dead');
    expect(failed.status).toBe('failed');
    expect((await repo.get(key('sent')))!.status).toBe('sent');

    const res = await fetch(`${h.base}/dashboard`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h2>Undelivered notifications</h2>');
    const row = (k: string) => new RegExp(`<tr class="(\\w+)" data-key="${k.replace(/[.]/g, '\\.')}">(.*?)</tr>`).exec(html);

    const deadRow = row(key('dead'));
    expect(deadRow?.[1]).toBe('dead');
    expect(deadRow![2]).toContain(`<td>${escapeHtml(pm.name)}</td>`);
    expect(deadRow![2]).toContain(`<td>${dead.attempts}</td>`);
    expect(dead.attempts).toBe(2);
    expect(deadRow![2]).toContain(escapeHtml(dead.lastError!));
    expect(dead.lastError).toContain('channel_not_found');
    expect(deadRow![2]).toContain('none: gave up');

    const failedRow = row(key('failed'));
    expect(failedRow?.[1]).toBe('failed');
    expect(failedRow![2]).toContain('<td>incidents channel</td>');
    expect(failedRow![2]).toContain(`${failed.nextAttemptAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC`);

    expect(row(key('sent'))).toBeNull();
    // The headline tile counts them (the harness's own queued messages were never dispatched: pending).
    expect(html).toMatch(/<div class="tile tile-danger"><span class="tile-value">2<\/span><span class="tile-label">Undelivered notifications<\/span>/);
  });
});
