/**
 * The erasure's scrub of operational copies rewrites documents in place, which FerretDB does not
 * make atomic (src/store/personalData.ts): a writer rewriting a copy at the same moment can put
 * a person's value back. The scrub repeats its scan until a pass finds nothing, and fails after
 * its passes if the value keeps coming back, instead of reporting success with it still there.
 *
 * The value is put back between passes through the store's afterPass seam, not by a writer loop
 * racing the scrub: whether such a loop lands between two passes depends on the machine's load
 * (it did not in one of two runs on a loaded machine).
 */
import { MongoPersonalDataStore, type PersonalDataStoreOptions } from '../../src/store/personalData';
import { PersonVault } from '../../src/store/personVault';
import { useTestContext } from '../support/context';

const t = useTestContext();
const email = 'rewritten.person@example.com';

function setup(name: string, putBackAfter: (pass: number) => boolean, beforeRewrite?: PersonalDataStoreOptions['beforeRewrite']) {
  const col = t.ctx.conn.db!.collection<{ _id: string; note: string; [k: string]: unknown }>(name);
  const passes: number[] = [];
  const store = new MongoPersonalDataStore(t.ctx.conn, new PersonVault(t.ctx.conn), {
    afterPass: async (pass) => {
      passes.push(pass);
      if (putBackAfter(pass)) await col.replaceOne({ _id: 'copy-1' }, { note: `sent to ${email}` }, { upsert: true });
    },
    ...(beforeRewrite ? { beforeRewrite } : {}),
  });
  return { col, passes, store };
}

it('a value written back after every pass fails the scrub after 3 passes; the re-run after the writer stops leaves no copy', async () => {
  let writing = true;
  const { col, passes, store } = setup('erasure_rewrite_copies', () => writing);
  await col.insertMany([{ _id: 'copy-1', note: `sent to ${email}` }, { _id: 'copy-2', note: 'nothing personal' }]);

  await expect(store.scrubCopies('rewritten', [email], 'erased-1')).rejects.toThrow(/written again while it was being erased \(3 passes\)/);
  expect(passes).toEqual([1, 2, 3]);
  // It failed with the value there, not after claiming a clean scrub.
  expect(JSON.stringify(await col.find({}).toArray())).toContain(email);

  writing = false;
  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBe(1);
  const left = await col.find({}).toArray();
  expect(JSON.stringify(left)).not.toContain(email);
  expect(left.find((d) => d._id === 'copy-2')).toMatchObject({ note: 'nothing personal' });
  // Nothing left to do: a third run rewrites nothing.
  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBe(0);
});

it('a value written back once is caught by the next pass: the scrub succeeds with both rewrites counted', async () => {
  const { col, passes, store } = setup('erasure_rewrite_once', (pass) => pass === 1);
  await col.insertMany([{ _id: 'copy-1', note: `sent to ${email}` }]);
  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBe(2);
  expect(passes).toEqual([1, 2, 3]);
  expect(JSON.stringify(await col.find({}).toArray())).not.toContain(email);
});

it("a writer's change made between the scrub's read and its rewrite is kept: the rewrite waits for the next pass", async () => {
  let changedOnce = false;
  const { col, passes, store } = setup(
    'erasure_rewrite_concurrent',
    () => false,
    async (collection, id) => {
      if (collection !== 'erasure_rewrite_concurrent' || id !== 'copy-1' || changedOnce) return;
      changedOnce = true;
      // Another process marks the copy delivered (the person's value still in it) just then.
      await t.ctx.conn.db!.collection(collection).updateOne({ _id: 'copy-1' as never }, { $set: { status: 'delivered', meta: { tries: [1, 2] } } });
    },
  );
  await col.insertMany([
    { _id: 'copy-1', note: `sent to ${email}`, status: 'queued', meta: { tries: [1] } },
    { _id: 'copy-2', note: `cc ${email}`, at: new Date(0), tags: ['a', { to: email }] },
  ]);
  expect(await store.scrubCopies('rewritten', [email], 'erased-1')).toBe(2);
  expect(passes).toEqual([1, 2, 3]); // the second rewrote copy-1, the third found nothing
  const [one, two] = await col.find({}).sort({ _id: 1 }).toArray();
  expect(one).toMatchObject({ status: 'delivered', meta: { tries: [1, 2] } });
  expect(JSON.stringify([one, two])).not.toContain(email);
  expect(two).toMatchObject({ note: 'cc erased-1' });
});
