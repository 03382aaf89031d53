/**
 * The console's notification streams share one outbox poller per process: 50 open streams cost
 * one database read a second (not 50), /readyz keeps answering at once meanwhile, each stream
 * still gets exactly its person's notifications, and the poller stops with the last stream.
 * Real server (buildServer), real database, streams read over HTTP.
 */
import { outboxFor } from '../../../src/app/services';
import { useConsoleServer } from './harness';

jest.setTimeout(90_000);

const h = useConsoleServer();

interface OpenStream {
  personId: string;
  abort: AbortController;
  text: () => string;
}

async function open(base: string, personId: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/notifications?personId=${encodeURIComponent(personId)}`, { signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((r) => (ready = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        if (text.includes('event: ready')) ready();
      }
    } catch {
      // aborted
    }
  })();
  await isReady;
  return { personId, abort, text: () => text };
}

it('50 open streams: one outbox read a second, /readyz unaffected, each person gets only their own', async () => {
  const deliveries = outboxFor(h.ctx).deliveries;
  const polls = jest.spyOn(deliveries, 'inboxSince');
  const backlogs = jest.spyOn(deliveries, 'listForPerson');
  const people = Object.values(h.team).map((p) => p.id);
  const streams: OpenStream[] = [];
  for (let i = 0; i < 50; i++) streams.push(await open(h.base, people[i % people.length]!));
  expect(backlogs).toHaveBeenCalledTimes(50); // each stream's backlog, read once when it opens

  polls.mockClear();
  const started = Date.now();
  // Five readiness probes over ~3 s, as an orchestrator would send them.
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const res = await fetch(`${h.server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 600));
  }
  const seconds = (Date.now() - started) / 1000;
  // One poll a second for all 50 (a tick may be skipped while the previous one still runs).
  expect(polls.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
  expect(polls.mock.calls.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  // Each poll asks for every open stream's person at once.
  expect(new Set(polls.mock.calls.at(-1)![0])).toEqual(new Set(streams.map((s) => s.personId)));

  // A notification to one person reaches exactly that person's streams.
  const target = people[0]!;
  const key = `poller-test:${Date.now()}`;
  await deliveries.enqueue({ key, to: { personId: target }, card: null, text: 'Shared poller notice' }, new Date());
  const theirs = streams.filter((s) => s.personId === target);
  const deadline = Date.now() + 10_000;
  while (theirs.some((s) => !s.text().includes(key)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const s of theirs) expect(s.text().split(`id: ${key}\n`).length - 1).toBe(1); // once, not once per poll
  for (const s of streams.filter((x) => x.personId !== target)) expect(s.text()).not.toContain(key);

  // The last stream closing stops the poller.
  for (const s of streams) s.abort.abort();
  await new Promise((r) => setTimeout(r, 500));
  polls.mockClear();
  await new Promise((r) => setTimeout(r, 2500));
  expect(polls).not.toHaveBeenCalled();
  polls.mockRestore();
  backlogs.mockRestore();
});
