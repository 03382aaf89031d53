/**
 * Evidence test helpers: the demo organisation seeded at a fixed time, evidence ports on the
 * test database with a fixed playbook list (so golden files do not change with every playbook
 * edit) and a small obligations function standing in for issue 13's legal model.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../src/app/context';
import type { EvidencePorts, ObligationsFor } from '../../src/domain/evidence/ports';
import type { Obligation } from '../../src/domain/obligations/types';
import { createEvidencePorts } from '../../src/evidence/ports';

export const PLAYBOOKS_DIR = path.join(__dirname, '../../playbooks');

/**
 * Test fixture only, not the legal model: a few obligations for high-risk use cases with titles
 * from ../shared/reference eu-ai-act.json key_obligations, so readiness and the FRIA,
 * registration and conformity sections are exercised.
 */
export const fixtureObligations: ObligationsFor = (uc, on) => {
  if (uc.tier !== 'high') return [];
  const day = on.toISOString().slice(0, 10);
  const o = (id: string, article: string, title: string, party: Obligation['party'], appliesFrom: string, controlIds: string[]): Obligation => ({
    id,
    article,
    title,
    party,
    appliesFrom,
    state: appliesFrom <= day ? 'applies' : 'not_yet_applicable',
    controlIds,
    reason: 'test fixture: high-risk Annex III use case',
  });
  return [
    o('art9_risk', 'Art. 9', 'Risk management system', 'provider', '2026-08-02', ['CTL-RISK-MANAGEMENT']),
    o('art26_1', 'Art. 26(1)', 'Obligations of deployers of high-risk AI systems', 'deployer', '2026-08-02', ['CTL-TECHNICAL-DOCUMENTATION']),
    o('art27_fria', 'Art. 27(1)', 'Fundamental rights impact assessment for high-risk AI systems', 'deployer', '2026-08-02', []),
    o('art49_registration', 'Art. 49(1)', 'Registration', 'provider', '2026-08-02', []),
    o('art47_doc', 'Art. 47(1)', 'EU declaration of conformity', 'provider', '2026-08-02', []),
    o('art72_pmm', 'Art. 72(1)', 'Post-market monitoring by providers and post-market monitoring plan for high-risk AI systems', 'provider', '2027-12-02', []),
  ];
};

export const FIXED_PLAYBOOKS = [{ file: 'playbooks (fixed in tests)', sha256: '0'.repeat(64) }];

export function evidencePorts(ctx: AppContext, overrides: Partial<EvidencePorts> = {}): EvidencePorts {
  return { ...createEvidencePorts(ctx, ctx.conn, { playbooksDir: PLAYBOOKS_DIR, obligationsFor: fixtureObligations }), playbooks: FIXED_PLAYBOOKS, ...overrides };
}

/**
 * The PDF's text, as a reader would extract it (pdf-parse). Run in a child process: pdfjs sets
 * up its worker with a dynamic import, which jest's module sandbox does not allow.
 */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pack-'));
  const file = path.join(dir, 'pack.pdf');
  writeFileSync(file, pdf);
  const script = "const { PDFParse } = require('pdf-parse'); const fs = require('fs'); const p = new PDFParse({ data: new Uint8Array(fs.readFileSync(process.argv[1])) }); p.getText().then((r) => { process.stdout.write(r.text); return p.destroy(); });";
  const out = spawnSync(process.execPath, ['-e', script, file], { cwd: path.join(__dirname, '../..'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  rmSync(dir, { recursive: true, force: true });
  if (out.status !== 0) throw new Error(`pdf-parse failed: ${out.stderr}`);
  return out.stdout;
}
