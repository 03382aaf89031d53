/** mongoose on the real server: a round-trip, and a unique index surfacing as the domain's ConflictError. */
import { Schema } from 'mongoose';
import { ConflictError, isDomainError } from '../../src/domain/errors';
import { conflictOnDuplicate, isDuplicateKey } from '../../src/store/mongoErrors';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase();

interface Widget {
  slug: string;
  title: string;
  tags: string[];
  createdAt: Date;
}
const WidgetSchema = new Schema<Widget>({
  slug: { type: String, required: true, unique: true },
  title: { type: String, required: true },
  tags: [String],
  createdAt: { type: Date, required: true },
});

const Widgets = () => db.conn.models.Widget ?? db.conn.model<Widget>('Widget', WidgetSchema);

beforeAll(async () => {
  await Widgets().init(); // builds the unique index before the first write
});

it('writes and reads back a document with its types intact', async () => {
  const createdAt = new Date('2026-03-01T10:00:00.000Z');
  await Widgets().create({ slug: 'chatbot', title: 'Support chatbot', tags: ['rag', 'eu'], createdAt });
  const back = await Widgets().findOne({ slug: 'chatbot' }).lean<Widget>();
  expect(back).toMatchObject({ slug: 'chatbot', title: 'Support chatbot', tags: ['rag', 'eu'] });
  expect(back!.createdAt).toBeInstanceOf(Date);
  expect(back!.createdAt.toISOString()).toBe(createdAt.toISOString());
  expect(db.conn.name).toBe(db.dbName);
});

it('turns a unique-index violation into ConflictError with the given code', async () => {
  const write = () => Widgets().create({ slug: 'dup', title: 'first', tags: [], createdAt: new Date() });
  await conflictOnDuplicate(write, 'widget.exists', 'A widget named dup already exists');

  const raw = await write().catch((e: unknown) => e);
  expect(isDuplicateKey(raw)).toBe(true);

  const err = await conflictOnDuplicate(write, 'widget.exists', 'A widget named dup already exists').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConflictError);
  expect(isDomainError(err) && { kind: err.kind, code: err.code, message: err.message }).toEqual({
    kind: 'conflict',
    code: 'widget.exists',
    message: 'A widget named dup already exists',
  });
  expect(await Widgets().countDocuments({ slug: 'dup' })).toBe(1);
});

it('lets other errors through unchanged', async () => {
  const err = await conflictOnDuplicate(() => Widgets().create({ slug: 'no-title' }), 'widget.exists', 'x').catch((e: unknown) => e);
  expect(err).not.toBeInstanceOf(ConflictError);
  expect((err as Error).name).toBe('ValidationError'); // mongoose's, not the domain's
});
