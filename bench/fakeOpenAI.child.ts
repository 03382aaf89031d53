/**
 * The fake endpoint in its own process for the benchmark, as a real endpoint would be: the
 * runner then does not share its event loop with the server it measures. Talks over IPC.
 */
import { FakeOpenAI } from '../test/support/fakeOpenAI';

const latencyMs = Number(process.env.FAKE_LATENCY_MS ?? 50);
const fake = new FakeOpenAI({ latencyMs, behaviour: (r) => `answer to ${r.messages[r.messages.length - 1]!.content}` });

void fake.start().then(() => process.send!({ type: 'ready', url: fake.url }));
process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send!({ type: 'stats', maxInFlight: fake.maxInFlight, requests: fake.requests.length, unexpected: fake.unexpected.length });
  if (m.type === 'stop') void fake.close().then(() => process.exit(0));
});
