/**
 * What must hold in the database after any number of crashes and one recovery (issue 11,
 * "Crash:"), read from the store itself: the history, the projections and the outbox. Each
 * check returns the records that break it (empty = holds), so a failure names them.
 */
import { quorumMet, mustIncludeFor } from '../../../src/domain/approvals/quorum';
import { verifyAudit, type AuditVerification } from '../../../src/domain/audit/verifyAudit';
import { killSwitchReason } from '../../../src/domain/incidents/killSwitch';
import type { HistoryEntry } from '../../../src/domain/ports';
import type { Approval, Incident, Person, UseCase } from '../../../src/domain/types';
import { incidentChannelKey } from '../../../src/notifications/eventMessages';
import type { AppContext } from '../../../src/app/context';
import type { MongoDeliveryRepository } from '../../../src/store/deliveries.repo';
import type { VersionedRecords } from '../../../src/store/versioned';

export interface CrashFindings {
  counts: Record<string, number>;
  verification: AuditVerification;
  /** Each list names the records breaking one rule. */
  broken: Record<string, string[]>;
  /** Allowed, but worth reading in the report: approvals whose use case left the gate's stage another way. */
  notes: string[];
}

/** Every stream of the trail, its entries in version order. */
async function streams(ctx: AppContext): Promise<Map<string, HistoryEntry[]>> {
  const out = new Map<string, HistoryEntry[]>();
  for await (const e of ctx.repos.audit.all('stream')) out.set(e.stream, [...(out.get(e.stream) ?? []), e]);
  return out;
}

const heads = <T>(all: Map<string, HistoryEntry[]>, kind: string, fromState: (s: any) => T): Map<string, { record: T; entries: HistoryEntry[] }> => {
  const out = new Map<string, { record: T; entries: HistoryEntry[] }>();
  for (const [stream, entries] of all) {
    if (!stream.startsWith(`${kind}:`)) continue;
    const last = entries[entries.length - 1]!;
    out.set(stream.slice(kind.length + 1), { record: { ...fromState(last.state), rev: last.version }, entries });
  }
  return out;
};

const storeOf = (repo: unknown): VersionedRecords<any> => (repo as { records: VersionedRecords<any> }).records;

export async function checkAfterCrashes(ctx: AppContext, deliveries: MongoDeliveryRepository): Promise<CrashFindings> {
  const broken: Record<string, string[]> = {
    gapInStream: [],
    projectionBehindHistory: [],
    projectionWithoutHistory: [],
    approvedWithoutStageMove: [],
    stageMoveWithoutApproval: [],
    pendingWithDecidingVotes: [],
    voteWithoutItsEntry: [],
    decidedTwice: [],
    incidentNotAnnounced: [],
    incidentOwnerNotTold: [],
    killSwitchNotApplied: [],
    approvalRequestNotSent: [],
    decisionNotSent: [],
    duplicateNotification: [],
    notificationWithoutRecord: [],
    deliveryNeverQueued: [],
    reactionsLeftPending: [],
  };
  const notes: string[] = [];
  const all = await streams(ctx);
  for (const [stream, entries] of all) {
    if (entries.some((e, i) => e.version !== i + 1)) broken.gapInStream!.push(`${stream}: ${entries.map((e) => e.version).join(',')}`);
  }
  const verification = await verifyAudit(ctx.repos.audit);

  // Every projection (the lists people see) shows its record's newest version, and nothing else.
  for (const repo of [ctx.repos.useCases, ctx.repos.approvals, ctx.repos.incidents, ctx.repos.people]) {
    const store = storeOf(repo);
    const kind = store.opts.kind;
    let streamsOfKind = 0;
    for (const [stream, entries] of all) {
      if (!stream.startsWith(`${kind}:`)) continue;
      streamsOfKind++;
      const key = stream.slice(kind.length + 1);
      const doc: any = await store.projection.collection.findOne(store.opts.projectionFilter(key), { projection: { rev: 1 } });
      const head = entries[entries.length - 1]!.version;
      if (doc?.rev !== head) broken.projectionBehindHistory!.push(`${stream}: projection rev ${doc?.rev}, history ${head}`);
    }
    const docs = await store.projection.countDocuments({});
    if (docs !== streamsOfKind) broken.projectionWithoutHistory!.push(`${kind}: ${docs} projected, ${streamsOfKind} streams`);
  }

  const useCases = heads<UseCase>(all, 'usecase', storeOf(ctx.repos.useCases).opts.fromState);
  const approvals = heads<Approval>(all, 'approval', storeOf(ctx.repos.approvals).opts.fromState);
  const incidents = heads<Incident>(all, 'incident', storeOf(ctx.repos.incidents).opts.fromState);
  const people = new Map<string, Person>();
  for (const { record } of heads<Person>(all, 'person', storeOf(ctx.repos.people).opts.fromState).values()) people.set(record.id, record);
  const counts: Record<string, number> = { streams: all.size, useCases: useCases.size, approvals: approvals.size, incidents: incidents.size };
  const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

  for (const [key, { record: a, entries }] of approvals) {
    bump(`approval.${a.status}`);
    const uc = useCases.get(a.useCaseKey)?.record;
    if (a.status === 'approved') {
      if (uc?.stageHistory.some((h) => h.approvalKey === key)) bump('approvedAndMoved');
      // The use case left the gate's stage another way first (kill switch, an earlier approval of the same gate).
      else if (uc && uc.stage !== a.fromStage && uc.stageHistory.some((h) => h.from === a.fromStage)) {
        bump('approvedStageLeftOtherwise');
        const left = uc.stageHistory.find((h) => h.from === a.fromStage)!;
        const when = a.decidedAt && a.decidedAt.getTime() > left.at.getTime() ? 'after' : 'before';
        notes.push(`${key} approved ${when} ${a.useCaseKey} left ${a.fromStage} for ${left.to} (${left.approvalKey ?? left.reason})`);
      }
      else broken.approvedWithoutStageMove!.push(`${key} (${a.useCaseKey} in ${uc?.stage}, gate ${a.fromStage}→${a.toStage})`);
    }
    if (a.status === 'pending') {
      const voters = new Map(a.votes.map((v) => [v.personId, people.get(v.personId)!] as const).filter(([, p]) => !!p));
      const mustInclude = a.mustInclude ?? (uc ? mustIncludeFor(ctx.policy, a, uc.tier) : []);
      if (a.votes.some((v) => v.decision === 'reject') || quorumMet({ ...a, mustInclude }, voters)) broken.pendingWithDecidingVotes!.push(key);
      if (uc?.stage === 'suspended') bump('pendingOnSuspendedUseCase');
    }
    // Each vote is the version that added it: one entry per vote, by the voter, in order.
    const voteEntries = entries.filter((e) => e.action === 'approval.voted' || (e.action === 'approval.decided' && e.data?.vote));
    const voteActors = voteEntries.map((e) => e.actorId).join(',');
    if (voteActors !== a.votes.map((v) => v.personId).join(',') || new Set(a.votes.map((v) => v.personId)).size !== a.votes.length) {
      broken.voteWithoutItsEntry!.push(`${key}: votes by ${a.votes.map((v) => v.personId).join(',')}, entries by ${voteActors}`);
    }
    const decisions = entries.filter((e) => e.action === 'approval.decided');
    if (decisions.length !== (a.status === 'pending' ? 0 : 1)) broken.decidedTwice!.push(`${key}: ${decisions.length} decisions, status ${a.status}`);
    counts.votes = (counts.votes ?? 0) + a.votes.length;
  }

  for (const [key, { record: uc }] of useCases) {
    bump(`useCase.${uc.stage}`);
    for (const h of uc.stageHistory.filter((x) => x.approvalKey)) {
      const a = approvals.get(h.approvalKey!)?.record;
      if (a?.status !== 'approved' || a.useCaseKey !== key || a.fromStage !== h.from) broken.stageMoveWithoutApproval!.push(`${key} ${h.from}→${h.to} by ${h.approvalKey} (${a?.status})`);
    }
  }

  const outbox: any[] = await deliveries.model.find({}, { _id: 1, to: 1, text: 1, threadKey: 1 }).lean();
  const keys = new Set(outbox.map((d) => d._id as string));
  counts.deliveries = outbox.length;
  for (const [key, { record: inc }] of incidents) {
    if (!keys.has(incidentChannelKey(key))) broken.incidentNotAnnounced!.push(key);
    if (!keys.has(`incident.reported:${key}:${inc.ownerId}`)) broken.incidentOwnerNotTold!.push(key);
    if (inc.killSwitch) {
      bump('killSwitches');
      const uc = inc.useCaseKey ? useCases.get(inc.useCaseKey)?.record : undefined;
      // Nothing here resumes a use case: one pulled switch keeps it suspended, once per incident at most.
      const byThis = uc?.stageHistory.filter((h) => h.reason === killSwitchReason(key)).length ?? 0;
      if (uc?.stage !== 'suspended' || byThis > 1) broken.killSwitchNotApplied!.push(`${key} on ${inc.useCaseKey}: ${uc?.stage}, ${byThis} suspensions`);
    }
  }
  // Nothing is announced about a record the history does not hold.
  for (const k of keys) {
    const about = /^(?:incident|approval)\.[a-z_]+:((?:INC|APR)-\d+):/.exec(k)?.[1];
    if (about && !incidents.has(about) && !approvals.has(about)) broken.notificationWithoutRecord!.push(k);
  }
  for (const [key, { record: a }] of approvals) {
    for (const id of a.approverIds) if (!keys.has(`approval.requested:${key}:${id}`)) broken.approvalRequestNotSent!.push(`${key} → ${id}`);
    if (a.status !== 'pending' && !keys.has(`approval.decided:${key}:${a.requesterId}`)) broken.decisionNotSent!.push(key);
  }
  // Keys are unique by construction (the outbox's _id); a duplicate would be the same words to the same place twice.
  const seen = new Map<string, string>();
  for (const d of outbox) {
    const what = JSON.stringify([d.to, d.text, d.threadKey ?? null]);
    if (seen.has(what)) broken.duplicateNotification!.push(`${seen.get(what)} and ${d._id}`);
    else seen.set(what, d._id);
  }
  const queued = new Set((await deliveries.queue.find({}, { key: 1 }).lean()).map((q: any) => q.key as string));
  for (const k of keys) if (!queued.has(k)) broken.deliveryNeverQueued!.push(k);

  // A change whose consequences are still unfinished after recovery. (A mark whose entry was never
  // written is its killed writer's announcement of a write that did not happen: kept a while, harmless.)
  const marks: any[] = await (ctx.repos.audit as unknown as { pending: { find(q: object): { lean(): Promise<any[]> } } }).pending.find({}).lean();
  for (const m of marks) {
    const [stream, version] = [m._id.slice(0, m._id.lastIndexOf('#')), Number(m._id.slice(m._id.lastIndexOf('#') + 1))];
    const entry = all.get(stream)?.[version - 1];
    if (entry?.events.length) broken.reactionsLeftPending!.push(m._id);
    else bump(entry ? 'markOfEventlessEntry' : 'markOfUnwrittenEntry');
  }
  return { counts, verification, broken, notes };
}
