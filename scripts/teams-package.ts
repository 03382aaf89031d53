/**
 * Builds the Teams app package to upload (Teams admin center, or "Upload a custom app"):
 *
 *   MicrosoftAppId=<guid> PUBLIC_URL=https://steward.example.com npm run teams:package
 *     -> dist/teams/steward-teams.zip  (manifest.json with the app id filled in, color.png, outline.png)
 *
 *   npm run teams:package -- --icons   regenerates manifests/teams/{color,outline}.png
 *
 * The filled manifest is validated OFFLINE against the JSON schema shipped in the
 * @microsoft/app-manifest package (the version the template names); nothing is fetched.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { colorIcon, outlineIcon } from '../src/channels/teams/package/icons';
import { fillManifest } from '../src/channels/teams/package/manifest';
import { writeZip } from '../src/channels/teams/package/zip';

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

export async function buildTeamsPackage(values: { appId: string; publicUrl: string }, out = PACKAGE_PATH): Promise<{ path: string; manifest: Record<string, unknown> }> {
  const manifest = fillManifest(readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8'), values);
  const problems = await validateManifest(manifest);
  if (problems.length) throw new Error(`manifest.json does not match its schema:\n  ${problems.join('\n  ')}`);
  const zip = writeZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: 'color.png', data: readFileSync(path.join(MANIFEST_DIR, 'color.png')) },
    { name: 'outline.png', data: readFileSync(path.join(MANIFEST_DIR, 'outline.png')) },
  ]);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  return { path: out, manifest };
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
  const built = await buildTeamsPackage({ appId: appId!, publicUrl: publicUrl! });
  console.log(`wrote ${path.relative(ROOT, built.path)} (manifest ${String(built.manifest.manifestVersion)}, app ${appId})`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
