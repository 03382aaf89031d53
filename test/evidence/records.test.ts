/**
 * The evidence records: FRIA versions by the deployer's Accountable, EU database registration
 * only where Art. 49 applies, monitoring reports numbered under concurrency, and the SoA of all
 * 38 Annex A controls with admin edits.
 */
import { seedDemo } from '../../src/app/seedDemo';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import { recordFria } from '../../src/domain/evidence/recordFria';
import { recordMonitoringReport } from '../../src/domain/evidence/recordMonitoringReport';
import { recordRegistration } from '../../src/domain/evidence/recordRegistration';
import { setSoaControl } from '../../src/domain/evidence/setSoaControl';
import { deriveSoa } from '../../src/domain/evidence/soa';
import { useTestContext } from '../support/context';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useTestContext();
let ports: EvidencePorts;
let legal: string;
let owner: string;
const elements = { a: 'Screening of applications', b: 'Daily during hiring rounds', c: 'Job applicants', d: 'Discrimination by proxy features', e: 'A recruiter reviews every summary', f: 'Pause and complaint desk' };

beforeAll(async () => {
  await seedDemo(t.ctx);
  ports = evidencePorts(t.ctx);
  const uc = (await t.ctx.repos.useCases.get('UC-3'))!;
  owner = uc.ownerId;
  legal = uc.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!;
});

it('the FRIA is recorded by the Accountable, versioned, and refused to others and where Art. 27 does not apply', async () => {
  await expect(recordFria(t.ctx, ports, { actorId: owner, key: 'UC-3', elements })).rejects.toThrow(/Only the Accountable for safety and compliance/);
  await expect(recordFria(t.ctx, ports, { actorId: legal, key: 'UC-3', elements: { ...elements, d: '' } })).rejects.toThrow(/\(d\)/);
  expect(await ports.compliance.get('UC-3')).toBeNull();
  const v1 = await recordFria(t.ctx, ports, { actorId: legal, key: 'UC-3', elements });
  const v2 = await recordFria(t.ctx, ports, { actorId: legal, key: 'UC-3', elements: { ...elements, b: 'Weekly' }, notifiedOn: '2026-09-01', notificationRef: 'MSA-1' });
  expect([v1.rev, v2.rev]).toEqual([1, 2]);
  const history = await t.ctx.repos.audit.history('compliance:UC-3');
  expect(history.map((h) => h.action)).toEqual(['compliance.fria_recorded', 'compliance.fria_updated']);
  const ucLegal = (await t.ctx.repos.useCases.get('UC-1'))!.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!;
  await expect(recordFria(t.ctx, ports, { actorId: ucLegal, key: 'UC-1', elements })).rejects.toThrow(/Art\. 27 does not apply to UC-1/);
});

it('registration: recorded once (a repeat writes nothing), a bad date is refused', async () => {
  await expect(recordRegistration(t.ctx, ports, { actorId: legal, key: 'UC-3', registrationId: 'EU-1', registeredOn: '2026-13-01' })).rejects.toThrow(/YYYY-MM-DD/);
  const r = await recordRegistration(t.ctx, ports, { actorId: legal, key: 'UC-3', registrationId: 'EU-DB-0042', registeredOn: '2026-09-01' });
  const again = await recordRegistration(t.ctx, ports, { actorId: legal, key: 'UC-3', registrationId: 'EU-DB-0042', registeredOn: '2026-09-01' });
  expect(again.rev).toBe(r.rev);
  expect(r.registration).toMatchObject({ registrationId: 'EU-DB-0042', registeredOn: '2026-09-01' });
});

it('two monitoring reports at once are #1 and #2, the second starting where the first ended', async () => {
  // Art. 72 applies from 2027-12-02 in the fixture obligations.
  t.clock.set('2028-01-10T09:00:00Z');
  const [a, b] = await Promise.all([recordMonitoringReport(t.ctx, ports, { actorId: legal, key: 'UC-3' }), recordMonitoringReport(t.ctx, ports, { actorId: legal, key: 'UC-3' })]);
  expect([a.seq, b.seq].sort()).toEqual([1, 2]);
  const stored = (await ports.compliance.get('UC-3'))!.monitoringReports;
  expect(stored.map((r) => r.seq)).toEqual([1, 2]);
  expect(stored[1]!.from.getTime()).toBe(stored[0]!.to.getTime());
});

it('the SoA lists the 38 Annex A controls; only an admin edits it, and the edit wins over the derivation', async () => {
  const rows = deriveSoa(t.ctx.policy, await t.ctx.repos.useCases.list(), null);
  expect(rows).toHaveLength(38);
  expect(rows[0]!.controlId).toBe('A.2.2');
  expect(rows.at(-1)!.controlId).toBe('A.10.4');
  await expect(setSoaControl(t.ctx, ports, { actorId: legal, controlId: 'A.2.2', applicable: false, justification: 'n/a' })).rejects.toThrow(/Only an AI CoE admin/);
  const admin = (await t.ctx.repos.people.list()).find((p) => p.roles.includes('ai_coe_admin'))!;
  await expect(setSoaControl(t.ctx, ports, { actorId: admin.id, controlId: 'A.11.1', applicable: true, justification: 'typo' })).rejects.toThrow(/not an ISO\/IEC 42001 Annex A control/);
  await setSoaControl(t.ctx, ports, { actorId: admin.id, controlId: 'A.4.4', applicable: false, justification: 'No in-house tooling; hosted models only.' });
  const after = deriveSoa(t.ctx.policy, await t.ctx.repos.useCases.list(), await ports.soa.get('SOA'));
  expect(after.find((r) => r.controlId === 'A.4.4')).toMatchObject({ applicable: false, status: 'not_applicable', justification: 'No in-house tooling; hosted models only.', decidedBy: admin.id });
});
