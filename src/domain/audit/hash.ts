import { createHmac } from 'node:crypto';
import type { AuditCheckpoint, HistoryEntry } from '../ports';

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

/**
 * The entry's hash: an HMAC (SHA-256, keyed by the audit signing key) over every stored field
 * but the hash itself, the previous hash included. Keyed, so that rewriting an entry and
 * recomputing the hashes after it, or appending a forged entry, needs the key, which the
 * database does not hold.
 */
export function hashEntry(key: string | Buffer, entry: Omit<HistoryEntry, 'hash'>): string {
  const body = canonicalJson({
    stream: entry.stream,
    version: entry.version,
    at: entry.at,
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    data: entry.data,
    cause: entry.cause,
    state: entry.state,
    events: entry.events?.length ? entry.events : undefined,
    prevHash: entry.prevHash,
  });
  return hmac(key, body);
}

export function hmac(key: string | Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/** The signed part of a checkpoint. */
export const checkpointBody = (c: Omit<AuditCheckpoint, 'signature'>): string =>
  canonicalJson({ seq: c.seq, at: c.at, entries: c.entries, heads: [...c.heads].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)) });
