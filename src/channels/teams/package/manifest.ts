/**
 * Fills the Teams app manifest template (manifests/teams/manifest.json): `${{MICROSOFT_APP_ID}}`
 * becomes the Azure Bot's app id, `${{PUBLIC_URL}}` the public base URL, `${{PUBLIC_HOSTNAME}}`
 * its host (validDomains). Pure: the packaging script validates and zips the result.
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
