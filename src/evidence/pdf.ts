/**
 * The neutral evidence document as PDF, with pdfkit (no headless browser). Standard fonts only
 * (no font files to ship), so text is kept to the WinAnsi range. The manifest is printed at the
 * end and its pack id travels in the PDF's Subject, so `evidence verify` finds the stored pack.
 */
import PDFDocument from 'pdfkit';
import type { Block, DocSection, EvidenceDocument, PackManifest } from '../domain/evidence/types';

/** Characters outside WinAnsi that the packs use, spelled so the standard fonts can draw them. */
const pdfText = (s: string): string =>
  s
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/→/g, '->')
    .replace(/[^\x09\x0a\x0d\x20-\x7e\u00a0-\u00ff–—‘’“”…•€]/g, '?');

const BODY = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';

function drawBlock(pdf: PDFKit.PDFDocument, b: Block): void {
  switch (b.kind) {
    case 'paragraph':
      pdf.font(BODY).fontSize(10).text(pdfText(b.text));
      break;
    case 'quote':
      pdf.font(ITALIC).fontSize(9).fillColor('#444444').text(pdfText(b.text), { indent: 12 });
      pdf.font(BODY).fontSize(8).text(pdfText(`— ${b.cite}`), { indent: 12 }).fillColor('black');
      break;
    case 'fields':
      for (const [k, v] of b.rows) pdf.font(BOLD).fontSize(10).text(pdfText(`${k}: `), { continued: true }).font(BODY).text(pdfText(v));
      break;
    case 'list':
      for (const i of b.items) pdf.font(BODY).fontSize(10).text(pdfText(`• ${i}`), { indent: 6 });
      break;
    case 'gap':
      pdf.font(BOLD).fontSize(10).fillColor('#a03000').text(pdfText(`Not provided — owner: ${b.owner}. `), { continued: true }).font(BODY).text(pdfText(b.what)).fillColor('black');
      break;
    case 'table':
      if (!b.rows.length) {
        pdf.font(ITALIC).fontSize(10).text('None recorded.');
        break;
      }
      // One row per paragraph, labelled by column: readable at any width and when extracted as text.
      for (const row of b.rows) {
        pdf.font(BOLD).fontSize(9).text(pdfText(row[0] ?? ''), { continued: row.length > 1 });
        if (row.length > 1) pdf.font(BODY).text(pdfText(`  ${row.slice(1).map((v, i) => `${b.header[i + 1]}: ${v}`).join(' · ')}`));
        pdf.moveDown(0.2);
      }
      break;
  }
  pdf.moveDown(0.4);
}

function drawSection(pdf: PDFKit.PDFDocument, s: DocSection, level: number): void {
  pdf.moveDown(0.5).font(BOLD).fontSize(level === 2 ? 14 : 12).text(pdfText(s.heading)).moveDown(0.3);
  for (const b of s.blocks) drawBlock(pdf, b);
  for (const sub of s.subsections ?? []) drawSection(pdf, sub, level + 1);
}

export function renderPdf(doc: EvidenceDocument, manifest: PackManifest): Promise<Buffer> {
  const at = new Date(manifest.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: pdfText(doc.title), Subject: manifest.packId, Keywords: `steward-evidence-pack sha256:${manifest.contentHash}`, Author: 'Steward', Creator: 'Steward', CreationDate: at, ModDate: at },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font(BOLD).fontSize(18).text(pdfText(doc.title)).moveDown(0.3);
  pdf.font(ITALIC).fontSize(10).text(pdfText(doc.subtitle)).moveDown(0.5);
  for (const s of doc.sections) drawSection(pdf, s, 2);
  drawSection(
    pdf,
    {
      id: 'manifest',
      heading: 'Manifest',
      blocks: [
        {
          kind: 'fields',
          rows: [
            ['Pack', `${manifest.packId} (version ${manifest.version} for ${manifest.useCaseKey})`],
            ['Generated at', manifest.generatedAt],
            ['Built from', Object.entries(manifest.builtFrom).map(([k, v]) => `${k}@${v}`).join(', ')],
            ['Playbooks', manifest.playbooks.map((p) => `${p.file} sha256:${p.sha256.slice(0, 12)}`).join(', ')],
            ['Content hash (Markdown body)', `sha256:${manifest.contentHash}`],
          ],
        },
      ],
    },
    2,
  );
  pdf.end();
  return done;
}
