/**
 * The neutral evidence document as Markdown. The body is hashed; the manifest follows a fixed
 * marker line (human-readable, then as JSON in a comment), so `evidence verify` can split the
 * file, re-hash the body and read what it was built from.
 */
import { createHash } from 'node:crypto';
import type { Block, DocSection, EvidenceDocument, PackManifest } from '../domain/evidence/types';

export const MANIFEST_MARKER = '<!-- steward-manifest-begin -->';
const JSON_OPEN = '<!-- steward-manifest';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const inline = (s: string): string => s.replace(/\r?\n/g, ' ');

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return inline(b.text);
    case 'quote':
      return `> ${inline(b.text)}\n>\n> — ${inline(b.cite)}`;
    case 'fields':
      return b.rows.map(([k, v]) => `- **${inline(k)}:** ${inline(v)}`).join('\n');
    case 'list':
      return b.items.map((i) => `- ${inline(i)}`).join('\n');
    case 'gap':
      return `> **Not provided — owner: ${inline(b.owner)}.** ${inline(b.what)}`;
    case 'table':
      if (!b.rows.length) return '_None recorded._';
      return [`| ${b.header.map(cell).join(' | ')} |`, `| ${b.header.map(() => '---').join(' | ')} |`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
  }
}

function section(s: DocSection, level: number): string {
  const parts = [`${'#'.repeat(level)} ${s.heading}`, ...s.blocks.map(block)];
  for (const sub of s.subsections ?? []) parts.push(section(sub, level + 1));
  return parts.join('\n\n');
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The body (title, subtitle, sections) that the content hash covers. */
export function markdownBody(doc: EvidenceDocument): string {
  return `# ${doc.title}\n\n_${inline(doc.subtitle)}_\n\n${doc.sections.map((s) => section(s, 2)).join('\n\n')}\n`;
}

function manifestText(m: PackManifest): string {
  const rows: [string, string][] = [
    ['Pack', `${m.packId} (version ${m.version} for ${m.useCaseKey})`],
    ['Generated at', m.generatedAt],
    ['Built from', Object.entries(m.builtFrom).map(([k, v]) => `${k}@${v}`).join(', ')],
    ['Playbooks', m.playbooks.map((p) => `${p.file} sha256:${p.sha256.slice(0, 12)}`).join(', ')],
    ['Content hash', `sha256:${m.contentHash}`],
  ];
  return `## Manifest\n\n${rows.map(([k, v]) => `- **${k}:** ${v}`).join('\n')}\n\nCheck this file against the record with \`npm run evidence:verify -- <file>\`.\n\n${JSON_OPEN}\n${JSON.stringify(m, null, 1)}\n-->\n`;
}

export function renderMarkdown(doc: EvidenceDocument, manifest: Omit<PackManifest, 'contentHash'>): { markdown: string; contentHash: string } {
  const body = markdownBody(doc);
  const contentHash = sha256(body);
  return { markdown: `${body}\n${MANIFEST_MARKER}\n\n${manifestText({ ...manifest, contentHash })}`, contentHash };
}

/** Splits a pack file into its body and manifest; null when it carries no manifest. */
export function readMarkdownPack(text: string): { body: string; manifest: PackManifest } | null {
  const at = text.indexOf(`\n${MANIFEST_MARKER}\n`);
  if (at < 0) return null;
  const open = text.indexOf(`${JSON_OPEN}\n`, at);
  if (open < 0) return null;
  const json = text.slice(open + JSON_OPEN.length, text.lastIndexOf('-->'));
  try {
    return { body: text.slice(0, at), manifest: JSON.parse(json) as PackManifest };
  } catch {
    return null;
  }
}
