import { failedForGood, undeliverable } from './undeliverable';

describe('failedForGood', () => {
  const gone = undeliverable('the Slack installation team:T1 was removed (app_uninstalled): Steward can no longer post there');

  it('is true when every failed channel failed for good', () => {
    expect(failedForGood(`slack: ${gone}`)).toBe(true);
    expect(failedForGood(`slack: ${gone}; teams: ${undeliverable('tenant removed')}`)).toBe(true);
  });

  it('keeps the retries when another channel failed for a passing reason, or the text is not marked', () => {
    expect(failedForGood(`slack: ${gone}; teams: connect ETIMEDOUT`)).toBe(false);
    expect(failedForGood('slack: An API error occurred: ratelimited')).toBe(false);
    expect(failedForGood('')).toBe(false);
  });

  it('a "; " inside one channel\'s message does not split it', () => {
    expect(failedForGood(`slack: ${undeliverable('gone; really gone')}`)).toBe(true);
  });
});
