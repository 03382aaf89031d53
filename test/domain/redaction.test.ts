/**
 * Redaction: gitleaks' maintained rule list plus Steward's personal-data checks, measured on a
 * corpus of synthetic positives and look-alike negatives (test/fixtures/redaction/corpus.ts),
 * the findings of issue 12 one by one, and "redact whole, then shorten".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dniValid, ibanValid, luhnValid, nirValid, ninoPrefixValid, ssnValid } from '../../src/domain/redaction/checksums';
import { GITLEAKS_RULES, GITLEAKS_VERSION, kindOfRule } from '../../src/domain/redaction/gitleaksRules';
import { redact, redactAndClip } from '../../src/domain/redaction/redact';
import { goToJs } from '../../scripts/redactionRules/goRegex';
import { parseGitleaksToml } from '../../scripts/redactionRules/toml';
import { generate } from '../../scripts/refresh-redaction-rules';
import { buildCorpus } from '../fixtures/redaction/corpus';

const RULES_DIR = path.resolve(__dirname, '../../src/domain/redaction/rules');

/** Thresholds the corpus must meet; the measured figures are in the README. */
const MIN_RECALL = 0.97;
const MAX_FALSE_POSITIVE_RATE = 0.03;

describe('the corpus', () => {
  const { positives, negatives } = buildCorpus();

  it('holds at least 100 positive and 100 negative samples, built from a fixed seed', () => {
    expect(positives.length).toBeGreaterThanOrEqual(100);
    expect(negatives.length).toBeGreaterThanOrEqual(100);
    expect(buildCorpus()).toEqual({ positives, negatives });
  });

  it(`recall >= ${MIN_RECALL}: the secret or personal datum is gone from the redacted text`, () => {
    const missed = positives.filter((p) => {
      const out = redact(p.text).text;
      return p.secrets.some((s) => out.includes(s));
    });
    const recall = 1 - missed.length / positives.length;
    if (recall < MIN_RECALL) throw new Error(`recall ${recall.toFixed(3)}; missed:\n${missed.map((m) => `${m.name}: ${m.text}`).join('\n')}`);
  });

  it(`false-positive rate <= ${MAX_FALSE_POSITIVE_RATE}: look-alikes come out unchanged`, () => {
    const changed = negatives.filter((n) => redact(n.text).text !== n.text);
    const rate = changed.length / negatives.length;
    if (rate > MAX_FALSE_POSITIVE_RATE) {
      throw new Error(`false-positive rate ${rate.toFixed(3)}:\n${changed.map((n) => `${n.name}: ${redact(n.text).text}`).join('\n')}`);
    }
  });
});

describe('the findings of issue 12', () => {
  const gitlab = `glpat-${'Ab3dEf6hIj9kLm2nOp5q'}`;
  const digitalOcean = `dop_v1_${'0a1b2c3d4e5f6a7b'.repeat(4)}`;

  it.each([
    ['a GitLab token', `token ${gitlab} leaked`, gitlab, 'api_key'],
    ['a DigitalOcean token', `key ${digitalOcean}`, digitalOcean, 'api_key'],
    ['an Azure Storage AccountKey', 'AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg==;EndpointSuffix=x', 'Zm9vYmFyYmF6cXV4MTIz', 'secret'],
    ['a redis URL with only a password', 'REDIS_URL=redis://:s3cretPw0rd@cache:6379', 's3cretPw0rd', 'url_credentials'],
  ])('redacts %s', (_what, text, secret, kind) => {
    const r = redact(text);
    expect(r.text).not.toContain(secret);
    expect(r.kinds).toContain(kind);
  });

  it('redacts the credentials of postgres:// and mongodb:// URLs, user included, and tags them as credentials, not email', () => {
    const r = redact('postgres://app_user:hunter2x@db.internal:5432/app and mongodb://svc:Pa55word@mongo.example.net/steward');
    expect(r.text).toBe('postgres://[REDACTED:url_credentials]@db.internal:5432/app and mongodb://[REDACTED:url_credentials]@mongo.example.net/steward');
    expect(r.kinds).toEqual(['url_credentials']);
  });

  it('tags an SSN as a national id and an IPv4 address as an IP address, not as phones', () => {
    const r = redact('SSN 536-22-1234 from 192.168.10.20');
    expect(r.text).toBe('SSN [REDACTED:national_id] from [REDACTED:ip_address]');
    expect(r.kinds).toEqual(['national_id', 'ip_address']);
  });

  it('leaves a 40-character git SHA alone (but still redacts a 64-character hex key)', () => {
    const sha = '3f786850e387550fdab836ed7e6dc881de23001b';
    expect(redact(`fixed in ${sha}`)).toEqual({ text: `fixed in ${sha}`, kinds: [] });
    expect(redact(`key ${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}`).kinds).toEqual(['secret']);
  });

  it('redacts the whole text before shortening: a secret across the cut does not survive in part', () => {
    const email = 'jane.doe@example.com';
    const aws = 'AKIAZ7QX3MPLW4TKEY2B';
    for (const secret of [email, aws]) {
      // Put the secret across position 77, where titles used to be cut before redaction.
      const text = `${'x'.repeat(70)} ${secret} and more words after it`;
      const clipped = redactAndClip(text, 80).text;
      expect(clipped.length).toBeLessThanOrEqual(80);
      for (let n = 4; n <= secret.length; n++) expect(clipped).not.toContain(secret.slice(0, n));
    }
  });

  it('keeps prose and placeholders after "token:" or "password:"', () => {
    for (const text of ['the token: expired, so we retried', 'password: <your password>', 'token: ${TOKEN}']) expect(redact(text).text).toBe(text);
  });

  it('works within a bounded time on long adversarial text (no catastrophic backtracking)', () => {
    // Larger than any text Steward redacts (descriptions stop at 10,000 characters), so a rule
    // whose time grows with the square of the length shows here (it took ~0.3 s at 10,000).
    const inputs = [
      `api key token secret password auth ${'a'.repeat(40_000)}`,
      `${'curl -H '.repeat(2_000)}`,
      `${'key = '.repeat(6_000)}`,
      `${'1.'.repeat(20_000)}`,
      `${'a@'.repeat(20_000)}`,
      `${'-'.repeat(40_000)}`,
      `${'Ab1+'.repeat(10_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      redact(input);
      // Generous for a shared CI machine; a backtracking blow-up takes seconds to minutes.
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});

describe('checksums', () => {
  it('Luhn, IBAN mod-97, SSN allocation, NINO prefixes, DNI/NIE letters and NIR keys', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB83 WEST 1234 5698 7654 32')).toBe(false);
    expect(ssnValid('536', '22', '1234')).toBe(true);
    for (const [a, g, s] of [['000', '22', '1234'], ['666', '22', '1234'], ['912', '22', '1234'], ['536', '00', '1234'], ['536', '22', '0000']]) expect(ssnValid(a!, g!, s!)).toBe(false);
    expect(ninoPrefixValid('AB')).toBe(true);
    for (const p of ['QQ', 'DA', 'AO', 'GB', 'ZZ', 'NT']) expect(ninoPrefixValid(p)).toBe(false);
    expect(dniValid('12345678Z')).toBe(true);
    expect(dniValid('12345678A')).toBe(false);
    expect(dniValid('X1234567L')).toBe(true);
    expect(nirValid('2 69 05 49 588 157 80')).toBe(true);
    expect(nirValid('2 69 05 49 588 157 81')).toBe(false);
  });
});

describe('the vendored gitleaks rule list', () => {
  it('ships the TOML, its MIT licence and the generated JSON of the same version', () => {
    expect(readFileSync(path.join(RULES_DIR, 'LICENSE.gitleaks'), 'utf8')).toMatch(/^MIT License/);
    const json = JSON.parse(readFileSync(path.join(RULES_DIR, 'gitleaks.json'), 'utf8'));
    expect(json.source.version).toBe(readFileSync(path.join(RULES_DIR, 'VERSION'), 'utf8').trim());
    expect(GITLEAKS_VERSION).toBe(json.source.version);
    const toml = parseGitleaksToml(readFileSync(path.join(RULES_DIR, 'gitleaks.toml'), 'utf8'));
    // Every rule of the TOML is either kept or skipped with a reason: none disappears silently.
    expect(json.rules.length + json.skipped.length).toBe(toml.rules.length);
    expect(GITLEAKS_RULES.length).toBe(json.rules.length);
    expect(json.rules.length).toBeGreaterThanOrEqual(200);
  });

  it('the refresh script regenerates the kept rules from the vendored TOML (translation is deterministic)', () => {
    const toml = readFileSync(path.join(RULES_DIR, 'gitleaks.toml'), 'utf8');
    const again = generate(toml, 'test', () => undefined);
    const json = JSON.parse(readFileSync(path.join(RULES_DIR, 'gitleaks.json'), 'utf8'));
    // Skips for slowness depend on the machine's load at the time; translations do not.
    const byId = new Map(again.rules.map((r) => [r.id, r]));
    for (const r of json.rules) if (byId.has(r.id)) expect(byId.get(r.id)).toEqual(r);
    expect(again.skipped.filter((s) => !s.reason.startsWith('slow'))).toEqual(json.skipped.filter((s: { reason: string }) => !s.reason.startsWith('slow')));
  });

  it('translates Go regular expressions: scoped flags, \\z, POSIX classes, named groups', () => {
    expect(goToJs('(?i)abc[a-f]')).toEqual({ source: 'abc[a-f]', flags: 'i' });
    const scoped = goToJs('x(?i:ab)(?-i:C)\\z');
    expect(scoped.flags).toBe('');
    const re = new RegExp(scoped.source, scoped.flags);
    expect(re.test('xAbC')).toBe(true);
    expect(re.test('xabc')).toBe(false);
    expect(new RegExp(goToJs('(?s:a.b)').source).test('a\nb')).toBe(true);
    expect(goToJs('[[:alnum:]]+').source).toBe('[A-Za-z0-9]+');
    expect(goToJs('(?P<key>k)').source).toBe('(?<key>k)');
    const midway = goToJs('\\bLTAI(?i)[a-z0-9]{2}');
    expect(new RegExp(midway.source, midway.flags).test('LTAIaZ')).toBe(true);
    expect(new RegExp(midway.source, midway.flags).test('ltaiaz')).toBe(false);
  });

  it('groups rule ids into the kinds incident records name', () => {
    expect(kindOfRule('aws-access-token')).toBe('aws_access_key');
    expect(kindOfRule('github-pat')).toBe('github_token');
    expect(kindOfRule('generic-api-key')).toBe('secret');
    expect(kindOfRule('gitlab-pat')).toBe('api_key');
  });
});
