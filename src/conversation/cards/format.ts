/** Shared wording for the card builders: names, dates, durations and tones. Pure. */
import type { Policy } from '../../domain/policy';
import type { ApprovalStatus, ModelStatus, Person, RiskTier, Severity, Stage } from '../../domain/types';
import type { Tone } from './model';

/** People by id: builders resolve names through it and fall back to the id. */
export type PeopleIndex = ReadonlyMap<string, Pick<Person, 'id' | 'name'>>;

export const indexPeople = (people: readonly Pick<Person, 'id' | 'name'>[]): PeopleIndex => new Map(people.map((p) => [p.id, p]));

export const nameOf = (people: PeopleIndex, id: string | undefined): string => (id ? (people.get(id)?.name ?? id) : 'nobody');

export const namesOf = (people: PeopleIndex, ids: readonly string[]): string => (ids.length ? ids.map((id) => nameOf(people, id)).join(', ') : '—');

/** "security_audit" -> "Security audit". */
export const humanise = (id: string): string => {
  const words = id.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Dates are shown in UTC so every reader sees the same text. */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const formatDay = (date: Date): string => date.toISOString().slice(0, 10);

/** 3 d 4 h / 5 h 10 min / 12 min. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** "in 3 d 4 h" or "2 h ago". */
export const relative = (at: Date, now: Date): string =>
  at.getTime() >= now.getTime() ? `in ${formatDuration(at.getTime() - now.getTime())}` : `${formatDuration(now.getTime() - at.getTime())} ago`;

export const stageName = (policy: Policy, stage: Stage): string => policy.lifecycle.stages.find((s) => s.id === stage)?.name ?? humanise(stage);

export const roleName = (policy: Policy, role: string): string => policy.roles.find((r) => r.id === role)?.name ?? humanise(role);

export const areaName = (policy: Policy, area: string): string => policy.raci.find((a) => a.id === area)?.name ?? humanise(area);

export const dataClassName = (policy: Policy, id: string): string => policy.risk.dataClasses.find((d) => d.id === id)?.name ?? humanise(id);

/** "internal data", "personal data" (the class is already called "Personal data": never "data data"). */
export const dataPhrase = (policy: Policy, id: string): string => {
  const name = dataClassName(policy, id).toLowerCase();
  return /\bdata$/.test(name) ? name : `${name} data`;
};

const TIER_LABELS: Record<RiskTier, string> = {
  prohibited: 'Prohibited',
  high: 'High risk',
  transparency: 'Transparency duties',
  minimal: 'Minimal risk',
};
export const tierLabel = (tier: RiskTier): string => TIER_LABELS[tier];

export const TIER_TONES: Record<RiskTier, Tone> = { prohibited: 'danger', high: 'warning', transparency: 'info', minimal: 'good' };
export const SEVERITY_TONES: Record<Severity, Tone> = { sev1: 'danger', sev2: 'warning', sev3: 'info', sev4: 'neutral' };
export const APPROVAL_TONES: Record<ApprovalStatus, Tone> = {
  pending: 'info',
  approved: 'good',
  rejected: 'danger',
  expired: 'warning',
  cancelled: 'neutral',
};
export const MODEL_TONES: Record<ModelStatus, Tone> = {
  proposed: 'info',
  approved: 'good',
  restricted: 'warning',
  deprecated: 'neutral',
  banned: 'danger',
};

export const money = (amount: number): string => `$${amount.toFixed(amount < 0.01 && amount > 0 ? 4 : 2)}`;
export const percent = (ratio: number): string => `${(ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 1 : 0)}%`;

/** Keeps one line short for list items; the full text is on the detail card. */
export const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
