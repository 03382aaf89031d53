import { Schema, type Connection, type Model } from 'mongoose';
import { redactEvalRun } from '../domain/evals/redactCaseResult';
import type { EvalRun } from '../domain/evals/types';
import type { EvalRunRepository } from '../domain/ports';
import { conflictOnDuplicate } from './mongoErrors';

/**
 * Evaluation runs, one document each with its per-case results. Metrics and cases are plain
 * sub-documents (Mixed): the runner defines their shape, and nothing queries inside cases.
 */
const evalRunSchema = new Schema(
  {
    runId: { type: String, required: true, unique: true },
    // Registry handle, lower-case like the models collection.
    modelName: { type: String, required: true, index: true },
    suite: { type: String, required: true },
    suiteKind: { type: String, required: true, enum: ['golden', 'redteam'] },
    endpoint: { type: Schema.Types.Mixed, required: true },
    judgeModel: String,
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    metrics: { type: Schema.Types.Mixed, required: true },
    cases: { type: [Schema.Types.Mixed], default: [] },
    assessment: { type: Schema.Types.Mixed, default: undefined },
    // Denormalised from assessment.passed so latestPassing is one indexed query.
    passed: { type: Boolean, default: false },
  },
  { collection: 'eval_runs', versionKey: false, minimize: false },
);
evalRunSchema.index({ modelName: 1, suite: 1, passed: 1, finishedAt: -1 });

const toRun = (d: any): EvalRun => ({
  runId: d.runId,
  modelName: d.modelName,
  suite: d.suite,
  suiteKind: d.suiteKind,
  endpoint: { baseUrl: d.endpoint.baseUrl, modelName: d.endpoint.modelName },
  ...(d.judgeModel ? { judgeModel: d.judgeModel } : {}),
  startedAt: new Date(d.startedAt),
  finishedAt: new Date(d.finishedAt),
  metrics: d.metrics,
  cases: d.cases ?? [],
  ...(d.assessment ? { assessment: { passed: !!d.assessment.passed, reasons: [...(d.assessment.reasons ?? [])] } } : {}),
});

export class MongoEvalRunRepository implements EvalRunRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.EvalRun ?? conn.model('EvalRun', evalRunSchema);
  }

  async create(given: EvalRun): Promise<EvalRun> {
    // The runner stores redacted results already; redacted again here (idempotent) so that no
    // path stores a model's raw output.
    const run = redactEvalRun(given);
    const doc = { ...run, modelName: run.modelName.toLowerCase(), passed: run.assessment?.passed === true };
    // Mongoose drops undefined; strip it from the free-form parts too so FerretDB stores clean documents.
    const clean = JSON.parse(JSON.stringify({ metrics: doc.metrics, cases: doc.cases, endpoint: doc.endpoint }));
    await conflictOnDuplicate(
      () => this.model.create({ ...doc, ...clean }),
      'eval.run_exists',
      `An evaluation run ${run.runId} is already stored.`,
    );
    return { ...run, modelName: doc.modelName };
  }

  async get(runId: string): Promise<EvalRun | null> {
    const d = await this.model.findOne({ runId }).lean();
    return d ? toRun(d) : null;
  }

  async latestPassing(modelName: string, suite: string): Promise<EvalRun | null> {
    const d = await this.model
      .findOne({ modelName: modelName.toLowerCase(), suite, passed: true })
      .sort({ finishedAt: -1 })
      .lean();
    return d ? toRun(d) : null;
  }

  async list(modelName: string, limit = 50): Promise<EvalRun[]> {
    const docs = await this.model.find({ modelName: modelName.toLowerCase() }).sort({ finishedAt: -1 }).limit(limit).lean();
    return docs.map(toRun);
  }
}
