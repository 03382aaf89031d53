/**
 * The erasure's scrub of operational copies rewrites documents in place, which FerretDB does not
 * make atomic (src/store/personalData.ts). A writer that keeps putting a person's value back while
 * they are erased makes the scrub fail after its passes instead of reporting success with the value
 * still there; once the writer stops, running it again leaves no copy.
 */
import { MongoPersonalDataStore } from '../../src/store/personalData';
import { PersonVault } from '../../src/store/personVault';
import { useTestContext } from '../support/context';

const t = useTestContext();

it('a value written back during the scrub fails the scrub; the re-run after it stops leaves no copy', async () => {
  const email = 'rewritten.person@example.com';
  const store = new MongoPersonalDataStore(t.ctx.conn, new PersonVault(t.ctx.conn));
  const col = t.ctx.conn.db!.collection<{ _id: string; note: string }>('erasure_rewrite_copies');
  await col.insertMany([{ _id: 'copy-1', note: `sent to ${email}` }, { _id: 'copy-2', note: 'nothing personal' }]);

  // A writer that puts the value back as soon as it is gone, for as long as the scrub runs.
  let writing = true;
  const writer = (async () => {
    while (writing) await col.replaceOne({ _id: 'copy-1' }, { note: `sent to ${email}` }, { upsert: true });
  })();
  try {
    await expect(store.scrubCopies('rewritten', [email], 'erased-1')).rejects.toThrow(/written again while it was being erased/);
  } finally {
    writing = false;
    await writer;
  }

  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBeGreaterThanOrEqual(1);
  const left = await col.find({}).toArray();
  expect(JSON.stringify(left)).not.toContain(email);
  expect(left.find((d) => d._id === 'copy-2')).toMatchObject({ note: 'nothing personal' });
  // Nothing left to do: a third run rewrites nothing.
  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBe(0);
});
