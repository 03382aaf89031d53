/** The legal model's obligations (issue 13, src/domain/obligations) bound to the playbooks in force. */
import type { ObligationsFor } from '../domain/evidence/ports';
import { obligationsFor } from '../domain/obligations/obligationsFor';
import type { Policy } from '../domain/policy';

export const obligationsWithPolicy = (policy: Policy): ObligationsFor => (uc, on) => obligationsFor(uc, policy, on);
