import { createHash } from 'node:crypto';
import type { AuditEntry } from '../types';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Plain JSON data (dates as ISO strings): what the store keeps and what is hashed. */
export function normaliseData(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>;
}

/** The hash covers every stored field except the hash itself, including the previous hash. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    data: entry.data,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}
