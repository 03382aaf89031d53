/**
 * The Teams app package: the manifest template filled and validated offline against the schema
 * shipped in @microsoft/app-manifest, the icons' sizes and transparency read from the PNG bytes,
 * the zip `npm run teams:package` writes, read back, and the version it raises. The packaging
 * code is build tooling (scripts/teams), not part of the runtime in src/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { colorIcon, outlineIcon } from '../../../scripts/teams/icons';
import { fillManifest, nextVersion, withTemplateVersion } from '../../../scripts/teams/manifest';
import { COLOR_TYPE_RGBA, readPngHeader } from '../../../scripts/teams/png';
import { readZip, writeZip } from '../../../scripts/teams/zip';
import { COMMAND_CATALOGUE } from '../../../src/conversation/grammar/catalogue';
import { buildTeamsPackage, bumpFromArgs, MANIFEST_DIR, schemaPath, validateManifest } from '../../../scripts/teams-package';

const APP_ID = '0d6b2f4e-7a31-4c58-9e02-b1c3d5e7f9a1';
const template = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8');
const filled = () => fillManifest(template, { appId: APP_ID, publicUrl: 'https://steward.example.com/' });

/** Alpha values of an RGBA PNG without interlace whose rows all use filter 0 (ours do). */
function alphas(png: Buffer): number[] {
  const { width, height } = readPngHeader(png);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    for (let x = 0; x < width; x++) out.push(raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!);
  }
  return out;
}

describe('Teams manifest', () => {
  it('uses a schema version shipped in @microsoft/app-manifest', () => {
    expect(JSON.parse(template).manifestVersion).toBe('1.17');
    expect(readFileSync(schemaPath('1.17'), 'utf8')).toContain('"const": "1.17"');
  });

  it('fills the placeholders and validates against the schema', async () => {
    const m = filled() as any;
    expect(m.id).toBe(APP_ID);
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.validDomains).toEqual(['steward.example.com']);
    expect(m.developer.privacyUrl).toBe('https://steward.example.com/privacy');
    expect(await validateManifest(m)).toEqual([]);
  });

  it('the validator rejects a broken manifest (so the check can fail)', async () => {
    const { accentColor: _gone, ...broken } = filled() as any;
    broken.bots[0].scopes = ['everyone'];
    const problems = await validateManifest(broken);
    expect(problems.join('\n')).toMatch(/accentColor/);
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  it('lists only commands the grammar knows', () => {
    const keywords = new Set(COMMAND_CATALOGUE.map((e) => e.keyword));
    const commands = (filled() as any).bots[0].commandLists[0].commands as Array<{ title: string }>;
    expect(commands.length).toBeLessThanOrEqual(10);
    for (const c of commands) expect(keywords.has(c.title)).toBe(true);
  });

  it('refuses an app id that is not a GUID and a URL that is not https', () => {
    expect(() => fillManifest(template, { appId: 'steward', publicUrl: 'https://x.example.com' })).toThrow(/MicrosoftAppId/);
    expect(() => fillManifest(template, { appId: APP_ID, publicUrl: 'http://x.example.com' })).toThrow(/https/);
  });
});

describe('Teams icons', () => {
  const color = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
  const outline = readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

  it('color.png is 192x192 and outline.png is 32x32 with an alpha channel', () => {
    expect(readPngHeader(color)).toMatchObject({ width: 192, height: 192, bitDepth: 8 });
    expect(readPngHeader(outline)).toEqual({ width: 32, height: 32, bitDepth: 8, colorType: COLOR_TYPE_RGBA });
  });

  it('outline.png is white on transparent; color.png is opaque', () => {
    const a = alphas(outline);
    expect(a.filter((v) => v === 0).length).toBeGreaterThan(a.length / 3);
    expect(a.filter((v) => v === 255).length).toBeGreaterThan(20);
    expect(alphas(color).every((v) => v === 255)).toBe(true);
  });

  it('the committed icons are exactly what the generator draws', () => {
    expect(colorIcon().equals(color)).toBe(true);
    expect(outlineIcon().equals(outline)).toBe(true);
  });
});

describe('npm run teams:package', () => {
  let dir: string;
  /** A copy of manifests/teams, so raising the version does not touch the committed template. */
  let manifestDir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-teams-'));
    manifestDir = path.join(dir, 'manifests');
    mkdirSync(manifestDir);
    for (const f of ['manifest.json', 'color.png', 'outline.png']) copyFileSync(path.join(MANIFEST_DIR, f), path.join(manifestDir, f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a zip with manifest.json, color.png and outline.png; the manifest inside validates', async () => {
    const out = path.join(dir, 'steward-teams.zip');
    await buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://steward.example.com' }, { out, manifestDir });
    const entries = await readZip(readFileSync(out));
    expect(entries.map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')!.data.toString('utf8'));
    expect(manifest.id).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(await validateManifest(manifest)).toEqual([]);
    expect(entries.find((e) => e.name === 'outline.png')!.data.equals(readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toBe(true);
  });

  it('raises the version in the package and in the template, a little more each run', async () => {
    const template = () => JSON.parse(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8'));
    const start = template().version as string;
    const [maj, min, pat] = start.split('.').map(Number) as [number, number, number];
    const out = path.join(dir, 'a.zip');
    const first = await buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://steward.example.com' }, { out, manifestDir });
    expect(first.previousVersion).toBe(start);
    expect(first.manifest.version).toBe(`${maj}.${min}.${pat + 1}`);
    expect(template().version).toBe(`${maj}.${min}.${pat + 1}`);
    const second = await buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://steward.example.com' }, { out, manifestDir, bump: 'minor' });
    expect(second.manifest.version).toBe(`${maj}.${min + 1}.0`);
    const inZip = JSON.parse((await readZip(readFileSync(out))).find((e) => e.name === 'manifest.json')!.data.toString('utf8'));
    expect(inZip.version).toBe(`${maj}.${min + 1}.0`);
    // Only the version line changed; the template keeps its placeholders and layout.
    const before = readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8').split('\n');
    const after = readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8').split('\n');
    expect(after.filter((l, i) => l !== before[i])).toEqual([`  "version": "${maj}.${min + 1}.0",`]);
    await buildTeamsPackage({ appId: APP_ID, publicUrl: 'https://steward.example.com' }, { out, manifestDir, bump: 'none' });
    expect(template().version).toBe(`${maj}.${min + 1}.0`);
  });

  it('a failed package leaves the version where it was', async () => {
    const out = path.join(dir, 'b.zip');
    await expect(buildTeamsPackage({ appId: 'not-a-guid', publicUrl: 'https://steward.example.com' }, { out, manifestDir })).rejects.toThrow(/MicrosoftAppId/);
    expect(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
    expect(existsSync(out)).toBe(false);
  });

  it('versions: only higher ones, in the form Teams accepts; flags parsed with clear errors', () => {
    expect(nextVersion('1.2.3', 'patch')).toBe('1.2.4');
    expect(nextVersion('1.2.3', 'major')).toBe('2.0.0');
    expect(nextVersion('1.2.3', { exactly: '1.10.0' })).toBe('1.10.0');
    expect(() => nextVersion('1.2.3', { exactly: '1.2.3' })).toThrow(/not higher than the last package's 1.2.3/);
    expect(() => nextVersion('1.2.3', { exactly: '1.02.4' })).toThrow(/expected a version such as 1.2.3/);
    expect(() => withTemplateVersion('{ "name": "x" }', '1.0.0')).toThrow(/version/);
    expect(bumpFromArgs([])).toBe('patch');
    expect(bumpFromArgs(['--bump', 'major'])).toBe('major');
    expect(bumpFromArgs(['--version', '2.0.0'])).toEqual({ exactly: '2.0.0' });
    expect(bumpFromArgs(['--no-bump'])).toBe('none');
    expect(() => bumpFromArgs(['--bump', 'huge'])).toThrow(/expected major, minor or patch/);
    expect(() => bumpFromArgs(['--no-bump', '--bump', 'minor'])).toThrow(/one of/);
  });

  it('the zip reader checks CRCs (a corrupted package is caught)', async () => {
    const zip = await writeZip([{ name: 'a.txt', data: Buffer.from('hello hello hello hello') }]);
    expect((await readZip(zip))[0]!.data.toString()).toBe('hello hello hello hello');
    const bad = Buffer.from(zip);
    const central = bad.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bad.writeUInt32LE(0xdeadbeef, central + 16);
    bad.writeUInt32LE(0xdeadbeef, 14); // the local header's copy too
    await expect(readZip(bad)).rejects.toThrow(/crc32/i);
  });

  it('the same inputs give the same bytes', async () => {
    const entries = [{ name: 'a.txt', data: Buffer.from('same') }];
    expect((await writeZip(entries)).equals(await writeZip(entries))).toBe(true);
  });
});

describe('the runtime', () => {
  it('carries no packaging code: nothing in src/ builds zips or PNGs', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
      }
    };
    walk(path.resolve(__dirname, '../../../src'));
    const offending = files.filter((f) => /0xedb88320|from 'jszip'|encodePng|IHDR/.test(readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
  });
});
