/**
 * Leases on evaluation runs, so that a run interrupted by SIGTERM or a crash is resumed by
 * another worker instead of being dropped. Every change of a lease is ONE unique insert of its
 * next generation (`_id` `<runKey>#<generation>`): taking a free or expired lease, a holder's
 * renewal, its release and the run's end. Two workers that both see generation 4 expired both
 * insert #5; exactly one wins (the same primitive as the history: FerretDB does not make a
 * conditional update atomic, but a unique insert has one winner on both stores).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';
import { GaplessHeads } from './gaplessHead';

export type LeaseState = 'running' | 'released' | 'done' | 'failed' | 'abandoned';

export interface EvalLease {
  runKey: string;
  generation: number;
  /** Which takeover this is (1 = the first holder); renewals keep it. */
  attempt: number;
  holder: string;
  state: LeaseState;
  at: Date;
  /** A running lease not renewed by then may be taken over. */
  leaseUntil: Date;
  /** The queued request, kept so that whoever resumes the run can queue it again. */
  request: Record<string, unknown>;
}

const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    runKey: { type: String, required: true },
    generation: { type: Number, required: true },
    attempt: { type: Number, required: true },
    holder: { type: String, required: true },
    state: { type: String, required: true },
    at: { type: Date, required: true },
    leaseUntil: { type: Date, required: true, index: true },
    request: { type: Schema.Types.Mixed },
  },
  { collection: 'eval_leases', versionKey: false, minimize: false },
);

const toLease = (d: any): EvalLease => ({
  runKey: d.runKey,
  generation: d.generation,
  attempt: d.attempt,
  holder: d.holder,
  state: d.state,
  at: new Date(d.at),
  leaseUntil: new Date(d.leaseUntil),
  request: d.request ?? {},
});

export class MongoEvalLeaseRepository {
  readonly model: Model<any>;
  /** The newest generation this process has seen per key: where head() starts looking. */
  /** The newest generation this process has seen per run: where head() starts looking. */
  private readonly newest = new GaplessHeads();
  constructor(conn: Connection) {
    this.model = conn.models.EvalLease ?? conn.model('EvalLease', leaseSchema);
  }

  private async at(runKey: string, generation: number): Promise<EvalLease | null> {
    const d = await this.model.collection.findOne({ _id: `${runKey}#${generation}` as never });
    return d ? toLease(d) : null;
  }

  /**
   * The newest generation, by point reads of `_id` only (generations are 1…n without gaps;
   * FerretDB serves only _id equality from an index): gallop forward, then bisect.
   */
  async head(runKey: string): Promise<EvalLease | null> {
    return (await this.newest.head(runKey, (generation) => this.at(runKey, generation)))?.value ?? null;
  }

  /** Inserts generation `lease.generation`; false when another writer inserted it first. */
  async insert(lease: EvalLease): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ _id: `${lease.runKey}#${lease.generation}` as never, ...lease });
      this.newest.note(lease.runKey, lease.generation);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /**
   * Keys with a generation whose lease ran out in the `windowMs` before `before`: candidates for
   * resuming (the caller checks each head). The window keeps the scan to recent runs (evaluation
   * runs are dozens a week, not thousands); a run left that long is past resuming anyway.
   */
  async expiredRunKeys(before: Date, windowMs = 7 * 86_400_000, limit = 500): Promise<string[]> {
    const keys: string[] = await this.model.distinct('runKey', {
      leaseUntil: { $lt: before, $gte: new Date(before.getTime() - windowMs) },
      state: { $in: ['running', 'released'] },
    });
    return keys.slice(0, limit);
  }
}
