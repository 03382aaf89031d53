/** A self-hosted model registered and approved through the real registry operations. */
import { registerModel } from '../../src/domain/registry/registerModel';
import { setModelStatus } from '../../src/domain/registry/setModelStatus';
import type { DomainContext } from '../../src/domain/ports';
import type { RegisteredModel } from '../../src/domain/types';
import type { Team } from './people';

export async function registerApprovedGpuModel(ctx: DomainContext, team: Team, name: string): Promise<RegisteredModel> {
  await registerModel(ctx, {
    actorId: team.llmops_engineer!.id,
    name,
    displayName: 'Llama on GPU',
    provider: 'meta',
    version: '3.1',
    hosting: 'self_hosted',
    baseUrl: 'http://127.0.0.1:9/v1',
    modelName: 'llama-3.1-8b',
    allowedDataClasses: ['public', 'internal'],
    pricePer1kInput: 0,
    pricePer1kOutput: 0,
  });
  return setModelStatus(ctx, { actorId: team.ai_security_specialist!.id, name, status: 'approved', reason: 'reviewed' });
}
