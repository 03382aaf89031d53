/**
 * The event-loop meter the Slack busy gate reads (src/observability/loopUtilization.ts), on this
 * process's real loop: a loop kept running reads as saturated, a loop left waiting as idle.
 */
import { loopUtilizationMeter } from '../../src/observability/loopUtilization';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* keep the loop busy */
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('reads a busy window as busy and a quiet one as quiet, and keeps the last reading within a window', async () => {
  const meter = loopUtilizationMeter(100);
  await sleep(150);
  expect(meter()).toBeLessThan(0.5); // the quiet start, and a fresh mark
  // Busy: the loop runs code for 300 ms in small turns, waiting almost never.
  for (let i = 0; i < 30; i++) {
    spin(10);
    await new Promise((r) => setImmediate(r));
  }
  const busy = meter();
  expect(busy).toBeGreaterThan(0.7);
  // Within the window, the same reading (no new mark).
  expect(meter()).toBe(busy);
  await sleep(300);
  expect(meter()).toBeLessThan(0.5);
});
