/**
 * The bot scopes an OAuth install asks for: the same as manifests/slack/manifest.yaml's
 * oauth_config.scopes.bot (test/channels/slack/oauth.test.ts keeps the two equal; the image
 * does not ship the manifest, so they are written here too).
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email', 'files:write'] as const;

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
