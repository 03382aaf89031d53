/**
 * One schedule per recurring job. Agenda's every() upserts a 'single' job by name; two workers
 * starting together on FerretDB (whose upserts are not atomic) made two documents for 7 of 13
 * jobs in a measured start, and each of those then ran twice per period for good (a doubled
 * 10,000-use-case review sweep cost bench:scheduler 12 s). MongoDB cannot prevent it with a
 * unique index either: one-off jobs (an evaluation run) share their names. So each worker, after
 * declaring its schedules, deletes all but the lowest ObjectId of each name (the oldest, to the
 * second): every worker keeps the same one.
 */
import type { Collection, ObjectId } from 'mongodb';

export async function removeDuplicateSchedules(jobs: Collection, names: string[]): Promise<number> {
  if (!names.length) return 0;
  const docs = (await jobs.find({ name: { $in: names }, type: 'single' }, { projection: { _id: 1, name: 1 } }).toArray()) as Array<{ _id: ObjectId; name: string }>;
  const oldest = new Map<string, string>();
  for (const d of docs) {
    const id = d._id.toHexString();
    const kept = oldest.get(d.name);
    if (!kept || id < kept) oldest.set(d.name, id);
  }
  const extra = docs.filter((d) => oldest.get(d.name) !== d._id.toHexString()).map((d) => d._id);
  if (extra.length) await jobs.deleteMany({ _id: { $in: extra } });
  return extra.length;
}
