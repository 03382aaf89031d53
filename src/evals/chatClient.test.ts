import { backoffMs, DEFAULT_RETRY, retryAfterMs } from './chatClient';
import { endpointKey, Limiter } from './limiter';

test('retry-after: milliseconds header, seconds, HTTP date, garbage', () => {
  expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
  expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
  const now = Date.parse('2026-09-01T00:00:00Z');
  expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 01 Sep 2026 00:00:03 GMT' }), now)).toBe(3000);
  expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  expect(retryAfterMs(undefined)).toBeUndefined();
});

test('backoff doubles per attempt with equal jitter and a cap', () => {
  const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  expect(backoffMs(0, p, () => 0)).toBe(50);
  expect(backoffMs(0, p, () => 1)).toBe(100);
  expect(backoffMs(2, p, () => 0)).toBe(200);
  expect(backoffMs(2, p, () => 1)).toBe(400);
  expect(backoffMs(10, p, () => 1)).toBe(1000);
});

test('limiter never runs more than its bound and can be re-bounded', async () => {
  const l = new Limiter(2);
  let active = 0;
  let max = 0;
  const job = async () => {
    active++;
    max = Math.max(max, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
  };
  await Promise.all(Array.from({ length: 10 }, () => l.run(job)));
  expect(max).toBe(2);
  l.setLimit(4);
  max = 0;
  await Promise.all(Array.from({ length: 10 }, () => l.run(job)));
  expect(max).toBe(4);
  expect(l.inFlight).toBe(0);
  await expect(l.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(l.inFlight).toBe(0);
});

test('endpoint keys ignore case of host and trailing slashes', () => {
  expect(endpointKey('HTTP://Api.Example:8080/v1/')).toBe(endpointKey('http://api.example:8080/v1'));
  expect(endpointKey('http://a/v1')).not.toBe(endpointKey('http://b/v1'));
});
