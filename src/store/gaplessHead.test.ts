/** The newest-of-a-gapless-sequence search shared by the history and the evaluation leases. */
import { GaplessHeads } from './gaplessHead';

/** A sequence 1…n (optionally with its first `pruned` members removed), counting the reads. */
function sequence(n: number, pruned = 0) {
  const reads: number[] = [];
  return {
    reads,
    at: async (i: number) => {
      reads.push(i);
      return i > pruned && i <= n ? `v${i}` : null;
    },
  };
}

it('finds the newest of every length from 0 to 300 without a hint', async () => {
  for (let n = 0; n <= 300; n++) {
    const got = await new GaplessHeads().head('s', sequence(n).at);
    expect(got).toEqual(n === 0 ? null : { n, value: `v${n}` });
  }
});

it('from a hint at the head it takes two reads; a stale hint still finds the head', async () => {
  const heads = new GaplessHeads();
  await heads.head('s', sequence(1000).at);
  const again = sequence(1000);
  expect(await heads.head('s', again.at)).toEqual({ n: 1000, value: 'v1000' });
  expect(again.reads).toEqual([1000, 1001]);
  const grown = sequence(1037);
  expect(await heads.head('s', grown.at)).toEqual({ n: 1037, value: 'v1037' });
  expect(grown.reads.length).toBeLessThan(15);
});

it('a hinted member that has gone (the trail was cut) restarts the search from the start', async () => {
  const heads = new GaplessHeads();
  heads.note('s', 50);
  // Only 1…20 exist now: 50 is gone.
  expect(await heads.head('s', sequence(20).at)).toEqual({ n: 20, value: 'v20' });
  heads.note('s', 10); // a lower number never replaces a higher one
  const again = sequence(20);
  await heads.head('s', again.at);
  expect(again.reads[0]).toBe(20);
});

it('keeps at most maxHints keys, forgetting the least recently noted', async () => {
  const heads = new GaplessHeads(2);
  heads.note('a', 5);
  heads.note('b', 5);
  heads.note('a', 6); // a is now the most recent
  heads.note('c', 5); // b is forgotten
  const a = sequence(6);
  await heads.head('a', a.at);
  expect(a.reads[0]).toBe(6);
  const b = sequence(5);
  await heads.head('b', b.at);
  expect(b.reads[0]).toBe(1);
});
