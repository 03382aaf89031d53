/**
 * Command text is bounded before any parsing, and the "did you mean" suggestion does bounded
 * work: a 200,000-character word used to block the process 8 s and a 1 MB word 56 s.
 */
import { closestCommand, MAX_COMMAND_CHARS, parseCommand } from '../../src/conversation/grammar/parseCommand';
import { isParseFailure } from '../../src/conversation/grammar';

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const started = performance.now();
  const value = f();
  return { value, ms: performance.now() - started };
};

describe('over-long command text', () => {
  it('a 1 MB word is refused at once with a message that says how long it was and what the limit is', () => {
    const { value, ms } = timed(() => parseCommand('x'.repeat(1_000_000)));
    // Generous for a busy machine; the unbounded suggestion took about a minute.
    expect(ms).toBeLessThan(1_000);
    expect(isParseFailure(value)).toBe(true);
    if (!isParseFailure(value)) return;
    expect(value.message).toBe(
      'That message is 1,000,000 characters long; commands are limited to 4,000. Shorten it, or use a form (for example: incident) for long descriptions.',
    );
  });

  it('the limit is inclusive: a command of exactly 4,000 characters is still parsed', () => {
    const text = `search ${'a'.repeat(MAX_COMMAND_CHARS - 'search '.length)}`;
    expect(text).toHaveLength(MAX_COMMAND_CHARS);
    const parsed = parseCommand(text);
    expect(isParseFailure(parsed) ? parsed.message : 'parsed').not.toMatch(/characters long/);
    expect(isParseFailure(parseCommand(`${text}a`))).toBe(true);
  });
});

describe('the "did you mean" suggestion', () => {
  it('does no work over a word too long to be a typo of any command (bounded by length, not by the word)', () => {
    const words = ['y'.repeat(MAX_COMMAND_CHARS)];
    const { value, ms } = timed(() => {
      for (let i = 0; i < 50; i++) closestCommand(words);
      return closestCommand(words);
    });
    expect(value).toBeUndefined();
    // 51 suggestions over a 4,000-character word: each was a 4,000 x keyword table per command.
    expect(ms).toBeLessThan(500);
  });

  it('still suggests the command for a typo', () => {
    expect(closestCommand(['shwo', 'UC-1'])).toBe('show');
    expect(closestCommand(['incdent'])).toBe('incident_form');
  });
});
