/** The observability variables as loadConfig reads them (METRICS_*, OTEL_EXPORTER_OTLP_ENDPOINT, SLACK_MAX_IN_FLIGHT). */
import { ConfigError, DEFAULT_SLACK_MAX_IN_FLIGHT, loadConfig } from '../../src/config';

const PROD = { NODE_ENV: 'production', PUBLIC_URL: 'https://steward.example.com', MONGODB_URI: 'mongodb://db:27017', AUDIT_SIGNING_KEY: 'k'.repeat(40), CONSOLE_ENABLED: 'false' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

it('outside production /metrics is open on the public port; tracing off; the default in-flight bound', () => {
  const c = loadConfig({});
  expect(c.metrics).toEqual({ onPublicPort: true });
  expect(c.otlpEndpoint).toBeUndefined();
  expect(c.slackMaxInFlight).toBe(DEFAULT_SLACK_MAX_IN_FLIGHT);
});

it('production serves /metrics on the public port only with a token; METRICS_PORT moves it off that port', () => {
  expect(loadConfig(PROD).metrics).toEqual({ onPublicPort: false });
  expect(loadConfig({ ...PROD, METRICS_TOKEN: 't'.repeat(20) }).metrics).toEqual({ token: 't'.repeat(20), onPublicPort: true });
  expect(loadConfig({ ...PROD, METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, onPublicPort: false });
  expect(loadConfig({ ...PROD, METRICS_PORT: '9464' }).warnings.join('\n')).not.toContain('METRICS');
});

it('refuses a metrics port equal to PORT, a short token (without echoing it), a malformed endpoint or bound', () => {
  expect(problemsOf({ PORT: '3000', METRICS_PORT: '3000' })).toEqual([expect.stringMatching(/^METRICS_PORT: must differ from PORT \(3000\)/)]);
  const short = problemsOf({ METRICS_TOKEN: 'short-secret' });
  expect(short).toEqual(['METRICS_TOKEN: expected at least 16 characters without spaces']);
  expect(short.join()).not.toContain('short-secret');
  expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })[0]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL/);
  expect(problemsOf({ SLACK_MAX_IN_FLIGHT: '0' })).toEqual(["SLACK_MAX_IN_FLIGHT: expected an integer 1-10000, got '0'"]);
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/', SLACK_MAX_IN_FLIGHT: '8' })).toMatchObject({ otlpEndpoint: 'http://otel:4318', slackMaxInFlight: 8 });
});

it('the busy floor and the loop share that triggers it: defaults from the gate, configurable, malformed values named', () => {
  expect(loadConfig({}).slackBusy).toEqual({});
  expect(loadConfig({ SLACK_BUSY_FLOOR: '8', SLACK_BUSY_LOOP_UTILIZATION: '0.9' }).slackBusy).toEqual({ floor: 8, maxLoopUtilization: 0.9 });
  expect(loadConfig({ SLACK_BUSY_LOOP_UTILIZATION: '1' }).slackBusy).toEqual({ maxLoopUtilization: 1 });
  expect(problemsOf({ SLACK_BUSY_LOOP_UTILIZATION: '80%', SLACK_BUSY_FLOOR: '-1' }).sort()).toEqual([
    "SLACK_BUSY_FLOOR: expected an integer 0-10000, got '-1'",
    "SLACK_BUSY_LOOP_UTILIZATION: expected a number 0.1-1, got '80%'",
  ]);
  expect(problemsOf({ SLACK_BUSY_LOOP_UTILIZATION: '1.5' })).toEqual(["SLACK_BUSY_LOOP_UTILIZATION: expected a number 0.1-1, got '1.5'"]);
});
