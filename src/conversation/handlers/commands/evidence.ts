/** evidence pack / fria / register / monitor / soa: one domain call each, then a card (and files). */
import { generatePack } from '../../../domain/evidence/generatePack';
import { recordConformity } from '../../../domain/evidence/recordConformity';
import { recordFria } from '../../../domain/evidence/recordFria';
import { recordMonitoringReport } from '../../../domain/evidence/recordMonitoringReport';
import { recordRegistration } from '../../../domain/evidence/recordRegistration';
import { setSoaControl } from '../../../domain/evidence/setSoaControl';
import { deriveSoa } from '../../../domain/evidence/soa';
import { UnavailableError } from '../../../domain/errors';
import type { Person } from '../../../domain/types';
import { getUseCase } from '../../../domain/usecases/getUseCase';
import { requireComplianceOwner } from '../../../domain/evidence/complianceAccess';
import { packCard, recordedCard, soaCard } from '../../cards/evidence';
import { friaFormCard, type FriaSubmission } from '../../cards/forms/friaForm';
import type { CommandOf } from '../../grammar/schema';
import type { EvidenceService, HandlerDeps } from '../deps';
import type { Reply } from '../types';

function service(deps: HandlerDeps): EvidenceService {
  if (!deps.evidence) throw new UnavailableError('evidence.disabled', 'Evidence packs are not enabled in this installation.');
  return deps.evidence;
}

export async function evidencePackReply(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const ev = service(deps);
  const pack = await generatePack(deps.ctx, ev.ports, { actorId: actor.id, key });
  const base = `${pack.manifest.useCaseKey}-evidence-v${pack.manifest.version}`;
  return {
    cards: [packCard(pack, { pdf: ev.downloadUrl(pack.manifest.packId, 'pdf'), md: ev.downloadUrl(pack.manifest.packId, 'md') })],
    files: [
      { filename: `${base}.pdf`, mimeType: 'application/pdf', content: pack.pdf, title: `Evidence pack ${pack.manifest.packId} (PDF)` },
      { filename: `${base}.md`, mimeType: 'text/markdown', content: Buffer.from(pack.markdown, 'utf8'), title: `Evidence pack ${pack.manifest.packId} (Markdown)` },
    ],
  };
}

/** The FRIA form, filled in with the current version; only its owner gets it. */
export async function friaFormReply(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const ev = service(deps);
  const uc = await getUseCase(deps.ctx, { key });
  requireComplianceOwner(actor, uc, 'its fundamental rights impact assessment');
  const current = await ev.ports.compliance.get(uc.key);
  return { cards: [], form: friaFormCard(uc.key, ev.ports.texts, current?.fria) };
}

export async function friaFormSubmitted(deps: HandlerDeps, actor: Person, d: FriaSubmission): Promise<Reply> {
  const record = await recordFria(deps.ctx, service(deps).ports, { actorId: actor.id, key: d.useCaseKey, elements: d.elements, ...(d.notifiedOn ? { notifiedOn: d.notifiedOn } : {}), ...(d.notificationRef ? { notificationRef: d.notificationRef } : {}) });
  return {
    cards: [recordedCard(`FRIA recorded for ${d.useCaseKey}`, [['Version', `compliance record v${record.rev}`], ['Art. 27(3) notification', record.fria?.notifiedAt ? record.fria.notifiedAt.toISOString().slice(0, 10) : 'not yet sent']])],
  };
}

export async function evidenceRegisterReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'evidence_register'>): Promise<Reply> {
  const record = await recordRegistration(deps.ctx, service(deps).ports, { actorId: actor.id, key: cmd.useCaseKey, registrationId: cmd.registrationId, registeredOn: cmd.registeredOn });
  return { cards: [recordedCard(`EU database registration of ${cmd.useCaseKey}`, [['Registration id', record.registration!.registrationId], ['Registered on', record.registration!.registeredOn]])] };
}

const ROUTE_LABEL: Record<string, string> = { annex_vi_internal_control: 'Annex VI (internal control)', annex_vii_notified_body: 'Annex VII (notified body)' };

export async function evidenceConformityReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'evidence_conformity'>): Promise<Reply> {
  const common = { actorId: actor.id, key: cmd.useCaseKey };
  const input =
    cmd.part === 'route'
      ? { ...common, part: 'route' as const, route: cmd.route! }
      : cmd.part === 'declaration'
        ? { ...common, part: 'declaration' as const, declarationRef: cmd.declarationRef!, signedOn: cmd.day! }
        : { ...common, part: 'ce' as const, ceMarkedOn: cmd.day! };
  const record = await recordConformity(deps.ctx, service(deps).ports, input);
  const c = record.conformity!;
  return {
    cards: [
      recordedCard(`Conformity of ${cmd.useCaseKey}`, [
        ['Conformity assessment route (Art. 43)', c.route ? ROUTE_LABEL[c.route]! : 'not recorded'],
        ['EU declaration of conformity (Art. 47)', c.declarationRef ? `${c.declarationRef}, signed ${c.declarationSignedOn}` : 'not recorded'],
        ['CE marking (Art. 48)', c.ceMarkedOn ? `affixed ${c.ceMarkedOn}` : 'not recorded'],
        ['Version', `compliance record v${record.rev}`],
      ]),
    ],
  };
}

export async function evidenceMonitorReply(deps: HandlerDeps, actor: Person, key: string): Promise<Reply> {
  const r = await recordMonitoringReport(deps.ctx, service(deps).ports, { actorId: actor.id, key });
  return {
    cards: [
      recordedCard(`Post-market monitoring report #${r.seq} for ${key}`, [
        ['Period', `${r.from.toISOString().slice(0, 10)} – ${r.to.toISOString().slice(0, 10)}`],
        ['Evaluation runs', `${r.evalRuns} (${r.failedRuns} failed)`],
        ['Incidents', `${r.incidents} (${r.seriousIncidents} serious)`],
      ]),
    ],
  };
}

export async function evidenceSoaReply(deps: HandlerDeps): Promise<Reply> {
  const ev = service(deps);
  const rows = deriveSoa(deps.ctx.policy, await deps.ctx.repos.useCases.list(), await ev.ports.soa.get('SOA'));
  return { cards: [soaCard(rows, deps.ctx.clock.now())] };
}

export async function evidenceSoaSetReply(deps: HandlerDeps, actor: Person, cmd: CommandOf<'evidence_soa_set'>): Promise<Reply> {
  await setSoaControl(deps.ctx, service(deps).ports, { actorId: actor.id, controlId: cmd.controlId, applicable: cmd.applicable, justification: cmd.justification });
  return { cards: [recordedCard(`SoA: ${cmd.controlId}`, [['Applicable', cmd.applicable ? 'yes' : 'no'], ['Justification', cmd.justification]])] };
}
