/**
 * The one guarantee the write model rests on, checked on the servers Steward runs on: the test
 * database (the embedded FerretDB unless MONGODB_URI names another), and, when MONGODB_URI is
 * set (a real MongoDB replica set or Atlas), that one too. A unique-index insert must have
 * exactly one winner among concurrent writers; on top of it, history appends and record updates
 * lose nothing.
 */
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../../src/store/connection';
import { MongoHistoryRepository } from '../../src/store/history.repo';
import { updateRecord } from '../../src/domain/records/updateRecord';
import { MongoUseCaseRepository } from '../../src/store/useCases.repo';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { isDuplicateKey } from '../../src/store/mongoErrors';
import { makeUseCase } from '../support/factories';
import { fixtureChange, fixtureChangeFor } from '../support/changes';

const ROUNDS = 20;
const WRITERS = 8;
jest.setTimeout(180_000);

const targets: Array<[string, string]> = [['test database', process.env.STEWARD_TEST_MONGODB_URI!]];
if (process.env.MONGODB_URI && process.env.MONGODB_URI !== process.env.STEWARD_TEST_MONGODB_URI) targets.push(['MONGODB_URI', process.env.MONGODB_URI]);

describe.each(targets)('store conformance on the %s', (_name, uri) => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectDatabase({ uri, dbName: `conformance_${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await conn.db?.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it(`a unique insert has exactly one winner among ${WRITERS} writers (${ROUNDS} rounds)`, async () => {
    const col = conn.collection('conformance_claims');
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, w) => col.insertOne({ _id: `claim-${round}` as never, writer: w })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(isDuplicateKey(r.reason)).toBe(true);
    }
  });

  it(`a history append at one version has exactly one winner, and the chain holds (${ROUNDS} rounds)`, async () => {
    const history = new MongoHistoryRepository(conn, 'conformance-key');
    await history.model.init();
    for (let round = 0; round < ROUNDS; round++) {
      const stream = `log:conformance-${round}`;
      const append = (w: number) => history.append({ stream, at: new Date(), actorId: `w${w}`, action: 'conformance.append', subject: stream }, 0);
      const written = (await Promise.all(Array.from({ length: WRITERS }, (_, w) => append(w)))).filter(Boolean);
      expect(written).toHaveLength(1);
      expect((await history.head(stream))?.actorId).toBe(written[0]!.actorId);
    }
    const v = await verifyAudit(history);
    expect(v).toMatchObject({ ok: true, entries: ROUNDS, streams: ROUNDS });
  });

  it(`${WRITERS} concurrent read-decide-write updates of one record lose nothing (${ROUNDS} rounds)`, async () => {
    const history = new MongoHistoryRepository(conn, 'conformance-key');
    const useCases = new MongoUseCaseRepository(conn, history);
    await useCases.model.init();
    const ctx = { react: async () => undefined };
    const { key: _k, seq: _s, ...data } = makeUseCase();
    for (let round = 0; round < ROUNDS; round++) {
      const { record } = await useCases.create(data, fixtureChangeFor());
      await Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          updateRecord(ctx, useCases, record.key, (uc) => ({ record: { ...uc, models: [...uc.models, `model-${w}`] }, change: fixtureChange('conformance.add') })),
        ),
      );
      const stored = (await useCases.get(record.key))!;
      expect([...stored.models].sort()).toEqual(Array.from({ length: WRITERS }, (_, w) => `model-${w}`).sort());
      expect(stored.rev).toBe(WRITERS + 1);
      // The projection lists read converged on the newest version too.
      expect((await useCases.model.findOne({ key: record.key }).lean<{ rev: number }>())?.rev).toBe(WRITERS + 1);
    }
  });
});
