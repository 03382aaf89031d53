/**
 * The Slack app manifest is valid against Slack's published schema (draft-07), and declares
 * every bot scope the code's Web API calls need, and no more.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { referencePath } from '../../support/reference';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = YAML.parse(readFileSync(path.join(ROOT, 'manifests/slack/manifest.yaml'), 'utf8'));
const schema = JSON.parse(readFileSync(referencePath('schemas', 'slack-manifest.schema.1.0.0.json'), 'utf8'));

/** Bot scopes each Web API method needs (Slack's method reference); methods needing none map to []. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read', 'users:read.email'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'auth.test': [],
  // files.uploadV2 is the SDK's wrapper of files.getUploadURLExternal + files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

it('is valid against the Slack manifest schema', () => {
  expect(schema.$schema).toMatch(/draft-07/);
  const ajv = new Ajv({ allErrors: true, strict: false }); // the schema uses a non-standard `regex` keyword
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate.errors ?? []).toEqual([]);
  expect(validate(manifest)).toBe(true);
});

it('declares the /steward command, interactivity, app_home_opened and the Home tab at /slack/events', () => {
  expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/steward']);
  expect(manifest.features.slash_commands[0].usage_hint).toBeTruthy();
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  expect(manifest.settings.socket_mode_enabled).toBe(false);
  for (const url of [manifest.features.slash_commands[0].url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url]) {
    expect(new URL(url).pathname).toBe('/slack/events');
  }
});

it('declares every scope the code uses, and only those', () => {
  const code = sources(path.join(ROOT, 'src/channels/slack')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const called = new Set([...code.matchAll(/client\(?\)?\s*\.\s*(\w+)\s*\.\s*(\w+)\s*\(/g)].map((m) => `${m[1]}.${m[2]}`));
  expect(called.size).toBeGreaterThan(3);
  const needed = new Set<string>(['commands']); // the slash command itself
  for (const method of called) {
    expect(Object.keys(METHOD_SCOPES)).toContain(method); // a new method must be added to the table above
    for (const s of METHOD_SCOPES[method]!) needed.add(s);
  }
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
});
