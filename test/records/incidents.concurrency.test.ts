/**
 * Incidents under concurrent writers, on the real database (FerretDB in the test run): every
 * change acknowledged to its writer is in the incident's history and its newest version, each
 * with its own audit entry, and the rules (status moves, one kill switch) hold whatever the
 * interleaving. Before the history model 25 of 40 concurrent notes and most concurrent status
 * changes were lost (issue 11). Writers are spread over three contexts, each on its own
 * connection with its own repositories, as three processes would be: whatever one process
 * does to order its own writers, they still race each other at the database.
 */
import { addTimelineEntry } from '../../src/domain/incidents/addTimelineEntry';
import { pullKillSwitch } from '../../src/domain/incidents/pullKillSwitch';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { canMove } from '../../src/domain/incidents/transitions';
import { updateIncidentStatus } from '../../src/domain/incidents/updateIncidentStatus';
import type { HistoryEntry } from '../../src/domain/ports';
import type { Incident, IncidentStatus, Person } from '../../src/domain/types';
import { buildContext, type AppContext } from '../../src/app/context';
import { loadPolicy } from '../../src/playbooks';
import { connectDatabase } from '../../src/store/connection';
import { makePerson, makeUseCase } from '../domain/governance.fixtures';
import { TestClock } from '../support/clock';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase();
const clock = new TestClock();
/** The "processes": the first (which sets up and checks) and two more on their own connections. */
let processes: AppContext[] = [];
let main: AppContext;
/** The context writer i runs in. */
const via = (i: number): AppContext => processes[i % processes.length]!;
const ROUNDS = 20;
// Each burst makes its losers re-read and retry on purpose; on a busy machine a test takes tens of seconds.
jest.setTimeout(400_000);
let owner: Person, reporter: Person, sec: Person, legal: Person, admin: Person, pm: Person;
let useCaseKey: string;

beforeAll(async () => {
  const policy = loadPolicy();
  const conns = [db.conn, await connectDatabase({ uri: db.uri, dbName: db.dbName }), await connectDatabase({ uri: db.uri, dbName: db.dbName })];
  processes = await Promise.all(conns.map((conn) => buildContext({ conn, policy, clock })));
  main = processes[0]!;
  [owner, reporter, sec, legal, admin, pm] = await Promise.all([
    makePerson(main, ['ai_security_specialist'], 'Owner'),
    makePerson(main, ['domain_expert'], 'Reporter'),
    makePerson(main, ['ai_security_specialist'], 'Sec'),
    makePerson(main, ['ai_governance_legal'], 'Legal'),
    makePerson(main, ['ai_coe_admin'], 'Admin'),
    makePerson(main, ['llm_product_manager'], 'PM'),
  ]);
  useCaseKey = (await productionUseCase()).key;
});
afterAll(async () => {
  await Promise.all(processes.slice(1).map((p) => p.conn.close()));
});

/** A use case in production whose safety Responsible (so the owner of its incidents) is `owner`. */
const productionUseCase = () =>
  makeUseCase(main, {
    ownerId: pm.id,
    stage: 'production',
    raci: [{ area: 'safety_compliance', responsible: [owner.id], accountable: [legal.id], consulted: [], informed: [] }],
  });

const report = (key = useCaseKey) =>
  reportIncident(main, { reporterId: reporter.id, useCaseKey: key, category: 'availability', severity: 'sev3', title: 'Answers time out' });

const history = (key: string): Promise<HistoryEntry[]> => main.repos.audit.history(`incident:${key}`);
const get = async (key: string): Promise<Incident> => (await main.repos.incidents.get(key))!;
const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? (r.reason as { code?: string }).code ?? String(r.reason) : null);

it(`8 concurrent status changes, ${ROUNDS} rounds: every acknowledged change is in the history, moves stay valid`, async () => {
  const targets: IncidentStatus[] = ['triaged', 'mitigating', 'resolved', 'closed', 'triaged', 'mitigating', 'resolved', 'mitigating'];
  const movers = [owner, sec, admin];
  for (let round = 0; round < ROUNDS; round++) {
    const incident = await report();
    const results = await Promise.allSettled(
      targets.map((status, i) => updateIncidentStatus(via(i), { actorId: movers[i % movers.length]!.id, key: incident.key, status, note: `writer ${i}` })),
    );
    // A refusal is the rule judged on the newest version, never a lost race.
    for (const r of results) if (r.status === 'rejected') expect(codeOf(r)).toBe('incident.bad_transition');
    const acknowledged = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, written: r.value }] : []));
    expect(acknowledged.length).toBeGreaterThan(0);

    const entries = await history(incident.key);
    const changes = entries.filter((e) => e.action === 'incident.status_changed');
    expect(changes).toHaveLength(acknowledged.length);
    for (const { i, written } of acknowledged) {
      const entry = entries[written.rev! - 1]!;
      expect(entry).toMatchObject({ action: 'incident.status_changed', data: { to: targets[i] }, state: { status: targets[i] } });
      expect((entry.state as unknown as Incident).timeline.at(-1)!.text).toMatch(new RegExp(`-> ${targets[i]}: writer ${i}$`));
    }
    // The history is a valid walk from `reported`, each move judged from where the previous left it.
    let status: IncidentStatus = 'reported';
    for (const c of changes) {
      expect(c.data.from).toBe(status);
      expect(canMove(status, c.data.to as IncidentStatus)).toBe(true);
      status = c.data.to as IncidentStatus;
    }
    const final = await get(incident.key);
    expect(final.status).toBe(status);
    expect(acknowledged.map((a) => targets[a.i])).toContain(final.status);
    expect(final.timeline.filter((e) => e.kind === 'status')).toHaveLength(acknowledged.length);
  }
});

it(`kill switch against concurrent notes, ${ROUNDS} rounds: the use case is suspended once and every note is kept`, async () => {
  const notes = 8;
  for (let round = 0; round < ROUNDS; round++) {
    const useCase = await productionUseCase();
    const incident = await report(useCase.key);
    const writers = [owner, reporter, sec, legal];
    const results = await Promise.allSettled([
      pullKillSwitch(via(0), { actorId: reporter.id, key: incident.key }),
      pullKillSwitch(via(1), { actorId: sec.id, key: incident.key }),
      ...Array.from({ length: notes }, (_, i) => addTimelineEntry(via(i), { actorId: writers[i % writers.length]!.id, key: incident.key, text: `note ${i} while stopping` })),
    ]);
    // Exactly one of the two pulls is the pull; the other is told the switch is on.
    expect(results.slice(0, 2).map(codeOf).sort()).toEqual(['incident.kill_switch_on', null].sort());
    expect(results.slice(2).map(codeOf).filter(Boolean)).toEqual([]);

    const stored = await get(incident.key);
    expect(stored.killSwitch).toBe(true);
    expect(stored.timeline.filter((e) => e.kind === 'kill_switch')).toHaveLength(1);
    expect(stored.timeline.filter((e) => e.kind === 'note').map((e) => e.text).sort()).toEqual(Array.from({ length: notes }, (_, i) => `note ${i} while stopping`).sort());
    const entries = await history(incident.key);
    expect(entries.filter((e) => e.action === 'incident.note_added')).toHaveLength(notes);
    expect(entries.filter((e) => e.action === 'incident.kill_switch')).toHaveLength(1);

    const after = (await main.repos.useCases.get(useCase.key))!;
    expect(after).toMatchObject({ stage: 'suspended', suspendedFrom: 'production' });
    expect(after.stageHistory.filter((h) => h.reason === `Kill switch pulled on ${incident.key}`)).toHaveLength(1);
    const suspensions = (await main.repos.audit.history(`usecase:${useCase.key}`)).filter((e) => e.action === 'usecase.suspended');
    expect(suspensions).toEqual([expect.objectContaining({ cause: `incident:${incident.key}` })]);
  }
});

// Last: its 41 large versions slow every later scan of the history on FerretDB (no index but _id).
it('40 notes sent at once to one incident: all 40 in the timeline, each with its own audit entry', async () => {
  const incident = await report();
  const writers = [owner, reporter, sec, legal, admin];
  const texts = Array.from({ length: 40 }, (_, i) => `note number ${i} of the burst`);
  const results = await Promise.allSettled(texts.map((text, i) => addTimelineEntry(via(i), { actorId: writers[i % writers.length]!.id, key: incident.key, text })));
  expect(results.map(codeOf).filter(Boolean)).toEqual([]);

  const stored = await get(incident.key);
  expect(stored.timeline.filter((e) => e.kind === 'note').map((e) => e.text).sort()).toEqual([...texts].sort());
  const entries = await history(incident.key);
  expect(entries.map((e) => e.version)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  expect(entries.filter((e) => e.action === 'incident.note_added')).toHaveLength(40);
  expect(stored.rev).toBe(41);
  // Each writer got back the version it wrote, and that version holds its note.
  for (const [i, r] of results.entries()) {
    const written = (r as PromiseFulfilledResult<Incident>).value;
    const entry = entries[written.rev! - 1]!;
    expect(entry).toMatchObject({ action: 'incident.note_added', actorId: writers[i % writers.length]!.id });
    expect((entry.state as unknown as Incident).timeline.at(-1)).toMatchObject({ kind: 'note', text: texts[i] });
  }
  // The list (the projection) has caught up with the newest version.
  const listed = (await main.repos.incidents.list({ useCaseKey })).find((i) => i.key === incident.key)!;
  expect(listed.timeline.filter((e) => e.kind === 'note')).toHaveLength(40);
});
