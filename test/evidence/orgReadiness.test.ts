/**
 * Readiness for the organisation, from the legal model (playbooks/regulation.yaml) under the
 * dates in force: the weekly digest states it and the console dashboard draws it as a chart,
 * one stacked bar per use case; a registration recorded moves one obligation from missing to met.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { dashboardPage } from '../../src/channels/console/dashboard';
import { readinessChart } from '../../src/channels/console/readinessChart';
import { readComplianceHead } from '../../src/domain/evidence/complianceHead';
import { organisationReadiness } from '../../src/domain/evidence/orgReadiness';
import { recordRegistration } from '../../src/domain/evidence/recordRegistration';
import { sendWeeklyDigest } from '../../src/domain/schedules/weeklyDigest';
import { obligationsWithPolicy } from '../../src/evidence/obligations';
import { useSweepContext } from '../scheduler/sweepSupport';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useSweepContext();

beforeAll(async () => {
  t.clock.set('2028-01-10T09:00:00Z');
  await seedDemo(t.ctx);
});

it('sums each use case’s obligations; a recorded registration turns one missing into met', async () => {
  const before = await organisationReadiness(t.ctx, await t.ctx.repos.useCases.list(), t.clock.now());
  // The prohibited use case (UC-6) owes nothing and is left out; the high-risk one owes the most.
  expect(before.useCases.map((u) => u.useCaseKey)).not.toContain('UC-6');
  const uc3 = before.useCases.find((u) => u.useCaseKey === 'UC-3')!;
  expect(uc3.items.find((i) => i.obligation.article === 'Art. 49(1)')!.state).toBe('missing');
  expect(before.totals.applies).toBe(before.totals.met + before.totals.missing);

  const legal = (await t.ctx.repos.useCases.get('UC-3'))!.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!;
  const ports = evidencePorts(t.ctx, { obligationsFor: obligationsWithPolicy(t.ctx.policy) });
  await recordRegistration(t.ctx, ports, { actorId: legal, key: 'UC-3', registrationId: 'EU-DB-7', registeredOn: '2028-01-09' });
  // The gate and the digest read the record from its history head: the same as the repository's.
  expect(await readComplianceHead(t.ctx, 'UC-3')).toEqual(await ports.compliance.get('UC-3'));
  const after = await organisationReadiness(t.ctx, await t.ctx.repos.useCases.list(), t.clock.now());
  expect(after.totals.met).toBe(before.totals.met + 1);
  expect(after.totals.missing).toBe(before.totals.missing - 1);
  expect(after.useCases.find((u) => u.useCaseKey === 'UC-3')!.items.find((i) => i.obligation.article === 'Art. 49(1)')).toMatchObject({ state: 'met', detail: 'registered EU-DB-7 on 2028-01-09' });
});

it('the weekly digest carries the readiness line and the missing count', async () => {
  const r = await sendWeeklyDigest(t.sctx);
  const [digest] = await t.deliveries.list({ limit: 100 }).then((all) => all.filter((d) => d.key.startsWith('digest.weekly:')));
  const t_ = r.readiness.totals;
  expect(digest!.text).toContain(`EU AI Act readiness: ${t_.applies} obligations apply across ${r.readiness.useCases.length} use cases: ${t_.met} met, ${t_.missing} missing; ${t_.notYet} not yet applicable.`);
  expect(digest!.text).toMatch(/Gaps: UC-3 \(\d+ missing\)/);
  expect((digest!.card as { fields: unknown[] }).fields).toContainEqual({ label: 'Obligations missing', value: String(t_.missing) });
});

it('the dashboard draws one stacked bar per use case, with the counts in data attributes', async () => {
  const r = await organisationReadiness(t.ctx, await t.ctx.repos.useCases.list(), t.clock.now());
  const html = await dashboardPage(t.ctx, t.deliveries);
  expect(html).toContain('<h2>EU AI Act readiness</h2>');
  const uc3 = r.useCases.find((u) => u.useCaseKey === 'UC-3')!;
  expect(html).toContain(`data-label="UC-3" data-met="${uc3.counts.met}" data-missing="${uc3.counts.missing}" data-not-yet="${uc3.counts.notYet}"`);
  expect(html).not.toContain('style=');
  expect(readinessChart({ useCases: [], totals: { applies: 0, met: 0, missing: 0, notYet: 0, useCasesWithGaps: 0 } })).toContain('No use case owes an EU AI Act obligation yet.');
});
