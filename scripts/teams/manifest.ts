/**
 * Fills the Teams app manifest template (manifests/teams/manifest.json): `${{MICROSOFT_APP_ID}}`
 * becomes the Azure Bot's app id, `${{PUBLIC_URL}}` the public base URL, `${{PUBLIC_HOSTNAME}}`
 * its host (validDomains). Pure: the packaging script validates and zips the result. Build
 * tooling only (npm run teams:package): nothing in src/ imports it.
 */
export const APP_ID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface ManifestValues {
  appId: string;
  /** https base URL people reach Steward at (developer links, validDomains). */
  publicUrl: string;
  /** Defaults to the template's version. */
  version?: string;
}

export function fillManifest(template: string, values: ManifestValues): Record<string, unknown> {
  if (!APP_ID_PATTERN.test(values.appId)) throw new Error(`MicrosoftAppId: expected the Azure Bot's app id (a GUID), got '${values.appId}'`);
  let url: URL;
  try {
    url = new URL(values.publicUrl);
  } catch {
    throw new Error(`PUBLIC_URL: expected an https URL such as https://steward.example.com, got '${values.publicUrl}'`);
  }
  if (url.protocol !== 'https:') throw new Error(`PUBLIC_URL: Teams needs an https URL, got '${values.publicUrl}'`);
  const base = url.origin;
  const filled = template
    .replaceAll('${{MICROSOFT_APP_ID}}', values.appId.toLowerCase())
    .replaceAll('${{PUBLIC_URL}}', base)
    .replaceAll('${{PUBLIC_HOSTNAME}}', url.host);
  const leftover = /\$\{\{[A-Z_]+\}\}/.exec(filled);
  if (leftover) throw new Error(`manifest.json: no value for placeholder ${leftover[0]}`);
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  return values.version ? { ...manifest, version: values.version } : manifest;
}

/** Teams' own rule for `version`: three dot-separated numbers without leading zeros. */
export const MANIFEST_VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export type VersionBump = 'major' | 'minor' | 'patch';

/**
 * The version of the next package. Teams installs an uploaded package over the installed one
 * only when its version is higher, so every package gets a new one.
 */
export function nextVersion(current: string, bump: VersionBump | { exactly: string }): string {
  const parts = MANIFEST_VERSION_PATTERN.exec(current);
  if (!parts) throw new Error(`manifest.json: version '${current}' is not of the form 1.2.3`);
  const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number];
  if (typeof bump === 'object') {
    const wanted = MANIFEST_VERSION_PATTERN.exec(bump.exactly);
    if (!wanted) throw new Error(`--version: expected a version such as 1.2.3, got '${bump.exactly}'`);
    const [a, b, c] = wanted.slice(1).map(Number) as [number, number, number];
    const higher = a !== major ? a > major : b !== minor ? b > minor : c > patch;
    if (!higher) throw new Error(`--version: ${bump.exactly} is not higher than the last package's ${current}; Teams would not update the app`);
    return bump.exactly;
  }
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The template's `version`, read without filling it. */
export function templateVersion(template: string): string {
  const v = (JSON.parse(template) as { version?: unknown }).version;
  if (typeof v !== 'string') throw new Error('manifest.json: no "version"');
  return v;
}

/** The template with its top-level `"version"` line changed, the rest kept byte for byte. */
export function withTemplateVersion(template: string, version: string): string {
  const line = /^( {2}"version": ")[^"]*(",?)$/m;
  if (!line.test(template)) throw new Error('manifest.json: the top-level "version" line was not found');
  return template.replace(line, `$1${version}$2`);
}
