/**
 * `evidence pack UC-n`: builds the pack from the live record, renders it (Markdown and PDF),
 * stores it under a unique (use case, version) and notes it in the trail. Two people asking at
 * once get two versions, never one overwritten: the insert decides, the loser takes the next.
 */
import { z } from 'zod';
import { ConflictError } from '../errors';
import { parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { useCaseKey } from '../usecases/getUseCase';
import { requireEvidenceReader } from './access';
import { buildPack } from './buildPack';
import { collectSource } from './collectSource';
import type { EvidencePorts, StoredPack } from './ports';
import type { PackManifest } from './types';

export const generatePackInput = z.object({ actorId: z.string().min(1), key: useCaseKey });
export type GeneratePackInput = z.input<typeof generatePackInput>;

const MAX_ATTEMPTS = 5;

export const packIdOf = (useCaseKey: string, version: number): string => `${useCaseKey}#${version}`;

export async function generatePack(ctx: DomainContext, ports: EvidencePorts, raw: GeneratePackInput): Promise<StoredPack> {
  const input = parseInput(generatePackInput, raw, 'evidence.invalid_pack');
  const actor = await requireActor(ctx, input.actorId);
  const src = await collectSource(ctx, ports, input.key);
  requireEvidenceReader(actor, src.useCase);
  const now = ctx.clock.now();
  const doc = buildPack(src, { policy: ctx.policy, texts: ports.texts, evalSuites: ports.evalSuites, now });
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const version = (await ports.packs.latestVersion(src.useCase.key)) + 1;
    const base: Omit<PackManifest, 'contentHash'> = {
      packId: packIdOf(src.useCase.key, version),
      useCaseKey: src.useCase.key,
      version,
      generatedAt: now.toISOString(),
      builtFrom: src.builtFrom,
      playbooks: ports.playbooks,
    };
    const { markdown, contentHash } = ports.renderers.markdown(doc, base);
    const manifest: PackManifest = { ...base, contentHash };
    const pdf = await ports.renderers.pdf(doc, manifest);
    const pack: StoredPack = { manifest, markdown, pdf, pdfSha256: ports.renderers.sha256(pdf), by: actor.id };
    if (await ports.packs.insert(pack)) {
      await ctx.audit({ actorId: actor.id, action: 'evidence.pack_generated', subject: src.useCase.key, data: { packId: manifest.packId, contentHash, pdfSha256: pack.pdfSha256, builtFrom: Object.entries(src.builtFrom).map(([k, v]) => `${k}@${v}`) } });
      return pack;
    }
  }
  throw new ConflictError('evidence.pack_busy', `Several packs for ${src.useCase.key} were being generated at once; please try again.`);
}
