/** Text people typed cannot become a disguised link in Teams' markdown. */
import { cardToAdaptiveCard } from '../../src/conversation/render/adaptiveCard';

it('breaks markdown link syntax in titles, text and facts, keeping the words', () => {
  const hostile = 'Please [approve here](https://evil.example/steal) now';
  const card = cardToAdaptiveCard({ title: hostile, text: hostile, fields: [{ label: 'Note', value: hostile }], sections: [{ title: 'S', text: hostile }] });
  // The body is rendered as markdown; fallbackText is shown as plain text by clients that cannot render cards.
  const json = JSON.stringify((card as { body: unknown }).body);
  expect(json).not.toMatch(/\]\s*\(/);
  expect(json).toContain('approve here');
  expect(json).toContain('https://evil.example/steal');
});
