/**
 * Evidence packs from the demo organisation's record: golden Markdown (fixed clock, fixed
 * playbook list), every Annex IV point for the high-risk use case, a short pack for a minimal
 * one, a PDF whose text holds every heading, and verify naming a change made after the build.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seedDemo } from '../../src/app/seedDemo';
import { buildPack } from '../../src/domain/evidence/buildPack';
import { collectSource } from '../../src/domain/evidence/collectSource';
import { generatePack } from '../../src/domain/evidence/generatePack';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import type { DocSection } from '../../src/domain/evidence/types';
import { verifyPack } from '../../src/domain/evidence/verifyPack';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { readMarkdownPack, sha256 } from '../../src/evidence/markdown';
import { obligationsWithPolicy } from '../../src/evidence/obligations';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { evidencePorts, pdfText } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const GOLDEN = path.join(__dirname, 'golden');
const t = useTestContext();
let ports: EvidencePorts;
let pmId: string;

beforeAll(async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  await seedDemo(t.ctx);
  ports = evidencePorts(t.ctx);
  pmId = (await t.ctx.repos.useCases.get('UC-3'))!.ownerId;
});

const headings = (sections: DocSection[]): string[] => sections.flatMap((s) => [s.heading, ...headings(s.subsections ?? [])]);

describe('golden Markdown of the demo use cases', () => {
  for (const key of ['UC-1', 'UC-2', 'UC-3', 'UC-4', 'UC-5', 'UC-6']) {
    it(`${key} matches test/evidence/golden/${key}.md`, async () => {
      const owner = (await t.ctx.repos.useCases.get(key))!.ownerId;
      const pack = await generatePack(t.ctx, ports, { actorId: owner, key });
      const file = path.join(GOLDEN, `${key}.md`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, pack.markdown);
      }
      expect(pack.markdown).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('the sample pack in docs/', () => {
  it('docs/evidence-pack-sample.md is the demo high-risk use case as the legal model sees it (UPDATE_GOLDEN=1 rewrites it)', async () => {
    const real = evidencePorts(t.ctx, { obligationsFor: obligationsWithPolicy(t.ctx.policy) });
    const pack = await generatePack(t.ctx, real, { actorId: pmId, key: 'UC-3' });
    const file = path.join(__dirname, '../../docs/evidence-pack-sample.md');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      writeFileSync(file, pack.markdown);
      writeFileSync(file.replace(/\.md$/, '.pdf'), pack.pdf);
    }
    // The version number and record version depend on what ran before in this file.
    const stable = (md: string) => md.replace(/UC-3#\d+|version \d+ for UC-3|"version": \d+|"packId": "[^"]+"/g, '').replace(/\n<!-- steward-manifest-begin -->[\s\S]*$/, '');
    expect(stable(pack.markdown)).toBe(stable(readFileSync(file, 'utf8')));
  });
});

describe('what a pack contains', () => {
  it('the high-risk pack lists every Annex IV point in the order of the Annex, with gaps naming an owner', async () => {
    const pack = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-3' });
    const points = [...pack.markdown.matchAll(/^### Annex IV point (\d+): /gm)].map((m) => Number(m[1]));
    expect(points).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const s of ports.texts.annexIV.sections) expect(pack.markdown).toContain(`Annex IV point ${s.point}: ${s.heading}`);
    expect(pack.markdown).toMatch(/Not provided — owner: [^.]+\.\*\* evidence for CTL-RISK-MANAGEMENT/);
    // Art. 27(1)(a)-(f) quoted from the Official Journal text, each with a gap until the FRIA is recorded.
    for (const el of ['a', 'b', 'c', 'd', 'e', 'f']) expect(pack.markdown).toContain(`Art. 27(1)(${el})`);
    expect(pack.markdown).toContain('## Readiness: obligations that apply');
    expect(pack.markdown).toMatch(/\| Art\. 72\(1\) \| .* \| not yet applicable \| applies from 2027-12-02 \|/);
  });

  it('a minimal use case gets a short pack saying why the sections do not apply', async () => {
    const pack = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-1' });
    expect(pack.markdown).toContain('so Annex IV points 1 to 9, the fundamental rights impact assessment, EU database registration, conformity and post-market monitoring do not apply to it');
    expect(pack.markdown).not.toMatch(/Annex IV point \d/);
    const high = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-3' });
    expect(pack.markdown.length).toBeLessThan(high.markdown.length / 2);
  });

  it('the PDF parses back and holds every section heading', async () => {
    const doc = buildPack(await collectSource(t.ctx, ports, 'UC-3'), { policy: t.ctx.policy, texts: ports.texts, evalSuites: ports.evalSuites, now: t.clock.now() });
    const pack = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-3' });
    const text = pdfText(pack.pdf).replace(/\s+/g, ' ');
    const all = [...headings(doc.sections), 'Manifest'];
    expect(all.length).toBeGreaterThan(12);
    for (const h of all) expect(text).toContain(h.replace(/\s+/g, ' '));
    expect(text).toContain(pack.manifest.packId);
  });

  it('two packs asked for at once are two versions, both stored', async () => {
    const [a, b] = await Promise.all([generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-2' }), generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-2' })]);
    expect(new Set([a.manifest.version, b.manifest.version]).size).toBe(2);
    expect((await ports.packs.get(a.manifest.packId))?.pdfSha256).toBe(a.pdfSha256);
    expect((await ports.packs.get(b.manifest.packId))?.pdfSha256).toBe(b.pdfSha256);
  });

  it('refuses someone not named on the use case, writing nothing', async () => {
    const outsider = await registerTestPerson(t.ctx, ['prompt_engineer'], 'Outsider');
    const before = await ports.packs.latestVersion('UC-4');
    await expect(generatePack(t.ctx, ports, { actorId: outsider.id, key: 'UC-4' })).rejects.toThrow(/Only people named on UC-4/);
    expect(await ports.packs.latestVersion('UC-4')).toBe(before);
  });
});

describe('evidence verify', () => {
  it('a fresh pack is authentic and current; after a change to the use case it names the change', async () => {
    const pack = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-3' });
    const read = readMarkdownPack(pack.markdown)!;
    const fresh = await verifyPack(t.ctx, ports, { manifest: read.manifest, bodyHash: sha256(read.body) });
    expect(fresh).toMatchObject({ authentic: true, problems: [], changes: [] });

    t.clock.advanceDays(1);
    await attachEvidence(t.ctx, { actorId: pmId, key: 'UC-3', controlId: 'CTL-RISK-MANAGEMENT', url: 'https://wiki.example.com/risk/cv' });
    const later = await verifyPack(t.ctx, ports, { manifest: read.manifest, bodyHash: sha256(read.body) });
    expect(later.authentic).toBe(true);
    expect(later.changes).toEqual([expect.stringMatching(/^UC-3 v\d+: usecase\.evidence_attached \(controlId, url\)/)]);

    const pdfCheck = await verifyPack(t.ctx, ports, { manifest: pack.manifest, fileHash: sha256(pack.pdf) });
    expect(pdfCheck.authentic).toBe(true);
  });

  it('an altered body or an unknown pack is not authentic', async () => {
    const pack = await generatePack(t.ctx, ports, { actorId: pmId, key: 'UC-3' });
    const read = readMarkdownPack(pack.markdown.replace('Intended purpose', 'Intended porpoise'))!;
    const altered = await verifyPack(t.ctx, ports, { manifest: read.manifest, bodyHash: sha256(read.body) });
    expect(altered.authentic).toBe(false);
    expect(altered.problems).toEqual([expect.stringContaining('Markdown body was altered')]);
    const unknown = await verifyPack(t.ctx, ports, { manifest: { ...read.manifest, packId: 'UC-3#999' } });
    expect(unknown.problems).toEqual(['no pack UC-3#999 was generated by this Steward']);
  });
});
