import type { ControlDef } from '../policy';
import type { DataClass, RiskTier } from '../types';

/** Controls a use case must evidence: those required for its tier or for any data class it handles. Pure. */
export function requiredControls(controls: ControlDef[], tier: RiskTier, dataClasses: DataClass[]): string[] {
  return controls
    .filter((c) => c.requiredFor.tiers.includes(tier) || c.requiredFor.dataClasses.some((d) => dataClasses.includes(d)))
    .map((c) => c.id);
}
