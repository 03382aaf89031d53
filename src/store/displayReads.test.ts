/**
 * The short-lived display reads (people names, a use case to show) and the claim on the hot path:
 * real database; a write straight through the driver stands in for another process's write.
 */
import { makePerson, makeUseCase } from '../../test/support/factories';
import { useTestDatabase } from '../../test/support/db';
import { MongoClaimRepository } from './claims.repo';
import { MongoPeopleRepository } from './people.repo';
import { MongoUseCaseRepository } from './useCases.repo';
import { MongoHistoryRepository } from './history.repo';
import { fixtureChange, fixtureChangeFor } from '../../test/support/changes';

const db = useTestDatabase();
const TTL = 300;
/**
 * For the in-between state "another process wrote, this one still shows the old list": long
 * enough that the write itself (several point operations, seconds on a loaded machine) cannot
 * outlast it, which made a 300 ms age limit expire before the first look in CI.
 */
const SLOW_TTL = 4000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { seq: _s, key: _k, ...ucData } = makeUseCase();

describe('people.listForDisplay', () => {
  let people: MongoPeopleRepository;
  beforeAll(async () => {
    people = new MongoPeopleRepository(db.conn, new MongoHistoryRepository(db.conn), TTL);
    await people.model.init();
    await people.identities.init();
    await people.records.history.model.init();
  });
  beforeEach(async () => {
    await people.model.deleteMany({});
    await people.identities.deleteMany({});
    await sleep(TTL + 50); // deleted behind the repository's back: let any display read expire
  });

  test('answers like list(), and one read serves concurrent and later callers', async () => {
    await people.create(makePerson({ id: 'p-a', name: 'Ada' }), fixtureChange());
    const reads = jest.spyOn(people, 'list');
    const [a, b] = await Promise.all([people.listForDisplay(), people.listForDisplay()]);
    const c = await people.listForDisplay();
    expect(a).toEqual(await people.list());
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(reads).toHaveBeenCalledTimes(2); // one shared display read + the comparison above
    reads.mockRestore();
  });

  test("this connection's writes show at once, through any repository on it", async () => {
    await people.listForDisplay();
    const other = new MongoPeopleRepository(db.conn, new MongoHistoryRepository(db.conn), 60_000);
    await other.create(makePerson({ id: 'p-b', name: 'Bea' }), fixtureChange());
    expect((await people.listForDisplay()).map((p) => p.name)).toEqual(['Bea']);
    await other.update({ ...(await other.findById('p-b'))!, name: 'Beatrice' }, fixtureChange());
    expect((await people.listForDisplay()).map((p) => p.name)).toEqual(['Beatrice']);
  });

  test('a read that a write overtakes is not kept', async () => {
    const before = people.listForDisplay();
    await people.create(makePerson({ id: 'p-d', name: 'Di' }), fixtureChange());
    await before;
    expect((await people.listForDisplay()).map((p) => p.id)).toEqual(['p-d']);
  });

  test('what a caller gets is its own copy', async () => {
    await people.create(makePerson({ id: 'p-e', name: 'Eve', roles: ['llm_product_manager'] }), fixtureChange());
    const first = await people.listForDisplay();
    first[0]!.roles.push('ai_coe_admin');
    first[0]!.name = 'changed';
    expect((await people.listForDisplay())[0]).toMatchObject({ name: 'Eve', roles: ['llm_product_manager'] });
  });

  // Last in this block: its display read stays valid for SLOW_TTL, past the next beforeEach.
  test("another process's write shows within the age limit, while list() and findById read it at once", async () => {
    const slow = new MongoPeopleRepository(db.conn, new MongoHistoryRepository(db.conn), SLOW_TTL);
    expect(await slow.listForDisplay()).toEqual([]);
    // Written through the versioned store alone, as another process would: this process's display read is not told.
    await people.records.write(makePerson({ id: 'p-c', name: 'Cy', roles: ['ai_coe_admin'] }), fixtureChange());
    expect(await slow.listForDisplay()).toEqual([]);
    expect((await slow.list()).map((p) => p.id)).toEqual(['p-c']);
    expect((await slow.findById('p-c'))?.roles).toEqual(['ai_coe_admin']);
    await sleep(SLOW_TTL + 50);
    expect((await slow.listForDisplay()).map((p) => p.id)).toEqual(['p-c']);
  });
});

describe('useCases.getForDisplay', () => {
  let useCases: MongoUseCaseRepository;
  const history = () => new MongoHistoryRepository(db.conn);
  const create = async (data: typeof ucData) => (await useCases.create(data, fixtureChangeFor())).record;
  beforeAll(async () => {
    useCases = new MongoUseCaseRepository(db.conn, history(), TTL);
    await useCases.model.init();
    await history().model.init();
  });

  test('answers like get(), case-insensitively, and saves through any repository show at once', async () => {
    const created = await create({ ...ucData, title: 'First' });
    expect(await useCases.getForDisplay(created.key.toLowerCase())).toEqual(await useCases.get(created.key));
    const other = new MongoUseCaseRepository(db.conn, history(), 60_000);
    await other.save({ ...created, title: 'Renamed', stage: 'prototype' }, fixtureChange());
    expect(await useCases.getForDisplay(created.key)).toMatchObject({ title: 'Renamed', stage: 'prototype' });
  });

  test("another process's write shows within the age limit, while get() reads it at once", async () => {
    const created = await create({ ...ucData, title: 'Before' });
    const slow = new MongoUseCaseRepository(db.conn, history(), SLOW_TTL);
    await slow.getForDisplay(created.key);
    // Written through the versioned store alone, as another process would: this process's display reads are not told.
    await useCases.records.write({ ...created, title: 'After' }, fixtureChange());
    expect((await slow.getForDisplay(created.key))?.title).toBe('Before');
    expect((await slow.get(created.key))?.title).toBe('After');
    await sleep(SLOW_TTL + 50);
    expect((await slow.getForDisplay(created.key))?.title).toBe('After');
  });

  test('"not found" is never kept, and a caller gets its own copy', async () => {
    const missing = `UC-${(await useCases.list()).length + 1}`;
    expect(await useCases.getForDisplay(missing)).toBeNull();
    const created = await create({ ...ucData, raci: [{ area: 'a', responsible: ['x'], accountable: [], consulted: [], informed: [] }] });
    expect(created.key).toBe(missing);
    const got = (await useCases.getForDisplay(missing))!;
    got.raci[0]!.responsible.push('intruder');
    expect((await useCases.getForDisplay(missing))!.raci[0]!.responsible).toEqual(['x']);
    expect((await useCases.getForDisplay(missing))!.createdAt).toBeInstanceOf(Date);
  });
});

describe('claims', () => {
  test('a key is claimed once, keeps its data, and can be claimed again after release', async () => {
    const claims = new MongoClaimRepository(db.conn);
    expect(await claims.claim('k1', { channel: 'slack' })).toBe(true);
    expect(await claims.claim('k1', { channel: 'slack' })).toBe(false);
    expect(await claims.claim('k2')).toBe(true);
    const stored = await claims.model.collection.findOne({ _id: 'k1' as never });
    expect(stored).toMatchObject({ data: { channel: 'slack' } });
    expect(stored!.at).toBeInstanceOf(Date);
    expect(await claims.model.collection.findOne({ _id: 'k2' as never })).not.toHaveProperty('data');
    await claims.release('k1');
    expect(await claims.claim('k1')).toBe(true);
    const racing = await Promise.all(Array.from({ length: 5 }, () => claims.claim('k3')));
    expect(racing.filter(Boolean)).toHaveLength(1);
  });
});
