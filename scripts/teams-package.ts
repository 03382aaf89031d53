/**
 * Builds the Teams app package to upload (Teams admin center, or "Upload a custom app"):
 *
 *   MicrosoftAppId=<guid> PUBLIC_URL=https://steward.example.com npm run teams:package
 *     -> dist/teams/steward-teams.zip  (manifest.json with the app id filled in, color.png, outline.png)
 *
 *   Each run raises the manifest's version (Teams updates an installed app only from a package
 *   with a higher version) and writes it back to manifests/teams/manifest.json: commit it, so
 *   the next package is higher still.
 *     -- --bump minor | --bump major   instead of the patch number
 *     -- --version 1.4.0              exactly this version (must be higher)
 *     -- --no-bump                    the same version again (a package that was never uploaded)
 *
 *   npm run teams:package -- --icons   regenerates manifests/teams/{color,outline}.png
 *
 * The filled manifest is validated OFFLINE against the JSON schema shipped in the
 * @microsoft/app-manifest package (the version the template names); nothing is fetched.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { colorIcon, outlineIcon } from './teams/icons';
import { fillManifest, nextVersion, templateVersion, type VersionBump, withTemplateVersion } from './teams/manifest';
import { writeZip } from './teams/zip';

const ROOT = path.resolve(__dirname, '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifests/teams');
export const PACKAGE_PATH = path.join(ROOT, 'dist/teams/steward-teams.zip');

const APP_MANIFEST_PKG = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));

/** The schema inside the installed package for a manifestVersion such as "1.17". */
export function schemaPath(manifestVersion: string): string {
  return path.join(APP_MANIFEST_PKG, 'build/json-schemas/teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
}

/**
 * Schema problems of a manifest (empty when valid). Validated the way the package's own
 * AppManifestUtils.validateAgainstSchema does (Ajv for draft-04, with uri/email/regex formats,
 * loaded from the package's own dependencies); its index is not imported because it pulls in
 * ESM-only modules the test runner cannot load.
 */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion ?? '');
  const schema = JSON.parse(readFileSync(schemaPath(version), 'utf8'));
  const fromPackage = createRequire(path.join(APP_MANIFEST_PKG, 'package.json'));
  const AjvDraft04 = fromPackage('ajv-draft-04').default as new (o: object) => { compile(s: object): ValidateFn };
  const addFormats = fromPackage('ajv-formats').default as (ajv: unknown, formats: string[]) => void;
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`.trim());
}

interface ValidateFn {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; message?: string; params?: unknown }> | null;
}

export interface PackageOptions {
  /** Where the zip goes (default dist/teams/steward-teams.zip). */
  out?: string;
  /** Where manifest.json and the icons are; its manifest.json gets the new version. */
  manifestDir?: string;
  /** How the version moves (default patch); 'none' repackages the same version. */
  bump?: VersionBump | 'none' | { exactly: string };
}

export async function buildTeamsPackage(
  values: { appId: string; publicUrl: string },
  opts: PackageOptions = {},
): Promise<{ path: string; manifest: Record<string, unknown>; previousVersion: string }> {
  const dir = opts.manifestDir ?? MANIFEST_DIR;
  const out = opts.out ?? PACKAGE_PATH;
  const templatePath = path.join(dir, 'manifest.json');
  const template = readFileSync(templatePath, 'utf8');
  const previousVersion = templateVersion(template);
  const bump = opts.bump ?? 'patch';
  const version = bump === 'none' ? previousVersion : nextVersion(previousVersion, bump);
  const manifest = fillManifest(template, { ...values, version });
  const problems = await validateManifest(manifest);
  if (problems.length) throw new Error(`manifest.json does not match its schema:\n  ${problems.join('\n  ')}`);
  const zip = await writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: readFileSync(path.join(dir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(path.join(dir, 'outline.png')) },
  ]);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  // Only once the package is written: a failed run leaves the version where it was.
  if (version !== previousVersion) writeFileSync(templatePath, withTemplateVersion(template, version));
  return { path: out, manifest, previousVersion };
}

/** --bump major|minor|patch, --version X.Y.Z or --no-bump (patch when none is given). */
export function bumpFromArgs(args: string[]): PackageOptions['bump'] {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const given = [args.includes('--no-bump'), value('--bump') !== undefined, value('--version') !== undefined].filter(Boolean).length;
  if (given > 1) throw new Error('use one of --bump, --version and --no-bump');
  if (args.includes('--no-bump')) return 'none';
  const exactly = value('--version');
  if (exactly) return { exactly };
  const bump = value('--bump') ?? 'patch';
  if (bump !== 'major' && bump !== 'minor' && bump !== 'patch') throw new Error(`--bump: expected major, minor or patch, got '${bump}'`);
  return bump;
}

export function writeIcons(dir = MANIFEST_DIR): void {
  writeFileSync(path.join(dir, 'color.png'), colorIcon());
  writeFileSync(path.join(dir, 'outline.png'), outlineIcon());
}

async function main(): Promise<void> {
  if (process.argv.includes('--icons')) {
    writeIcons();
    console.log(`wrote ${path.relative(ROOT, MANIFEST_DIR)}/color.png (192x192) and outline.png (32x32)`);
    return;
  }
  const appId = process.env.MicrosoftAppId?.trim();
  const publicUrl = process.env.PUBLIC_URL?.trim();
  const missing = [!appId && 'MicrosoftAppId (the Azure Bot app id)', !publicUrl && 'PUBLIC_URL (https base URL of Steward)'].filter(Boolean);
  if (missing.length) throw new Error(`set ${missing.join(' and ')} to build the Teams package`);
  const built = await buildTeamsPackage({ appId: appId!, publicUrl: publicUrl! }, { bump: bumpFromArgs(process.argv.slice(2)) });
  console.log(`wrote ${path.relative(ROOT, built.path)} (app ${appId}, version ${String(built.manifest.version)}, was ${built.previousVersion}; schema ${String(built.manifest.manifestVersion)})`);
  if (built.manifest.version !== built.previousVersion) console.log(`manifests/teams/manifest.json now says version ${String(built.manifest.version)}: commit it`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
