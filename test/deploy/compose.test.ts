/**
 * docker-compose.yml and the Dockerfile, read as Compose and Docker read them (no Docker daemon
 * here): one image built once for both roles, MongoDB as a single-node replica set with
 * authentication, Node 22 LTS in every stage, engines still open to Node 20.19.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: unknown; image?: string; pull_policy?: string; entrypoint?: string[]; environment?: Record<string, string>; volumes?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> }>;
};
const s = compose.services;

describe('docker-compose.yml', () => {
  it('builds the image once: steward-web builds it, steward-worker runs the same tag and never pulls it', () => {
    const building = Object.entries(s).filter(([, svc]) => svc.build !== undefined).map(([name]) => name);
    expect(building).toEqual(['steward-web']);
    expect(s['steward-worker']!.image).toBe(s['steward-web']!.image);
    expect(s['steward-worker']!.pull_policy).toBe('never');
    expect(s['steward-web']!.environment!.STEWARD_ROLE).toBe('web');
    expect(s['steward-worker']!.environment!.STEWARD_ROLE).toBe('worker');
  });

  it('runs MongoDB as a single-node replica set with authentication and a key file', () => {
    const mongo = s.mongo!;
    const start = mongo.entrypoint!.join(' ');
    expect(start).toMatch(/mongod --replSet rs0 --keyFile \/tmp\/replica\.key/);
    expect(start).toMatch(/chmod 400 \/tmp\/replica\.key/);
    // A password is required (Compose stops with the message when it is unset).
    expect(mongo.environment!.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGO_ROOT_PASSWORD:\?/);
    expect(mongo.healthcheck!.test.join(' ')).toMatch(/rs\.initiate\(\{ _id: 'rs0', members: \[\{ _id: 0, host: 'mongo:27017' \}\] \}\)/);
    const init = mongo.volumes!.find((v) => v.includes('docker-entrypoint-initdb.d'))!;
    expect(existsSync(path.join(ROOT, init.split(':')[0]!))).toBe(true);
    for (const name of ['steward-web', 'steward-worker']) {
      expect(s[name]!.depends_on!.mongo!.condition).toBe('service_healthy');
      expect(s[name]!.environment!.MONGODB_URI).toMatch(/mongodb:\/\/steward:\$\{STEWARD_DB_PASSWORD:-\}@mongo:27017\/\?replicaSet=rs0&authSource=/);
    }
  });

  it('the init script gives Steward a user limited to its own database', () => {
    const js = readFileSync(path.join(ROOT, 'deploy/compose/mongo-init.js'), 'utf8');
    expect(js).toMatch(/roles: \[\{ role: 'readWrite', db: name \}\]/);
    expect(js).toMatch(/pwd: process\.env\.STEWARD_DB_PASSWORD/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  it('every stage runs on Node 22 LTS', () => {
    const froms = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^FROM node:22-/);
  });

  it('package.json still allows Node 20.19 for machines that have not moved', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node).toBe('>=20.19');
  });
});
