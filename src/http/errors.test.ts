import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from '../domain/errors';
import { silentLogger } from '../logger';
import { createHttpApp } from './app';

let server: Server;
let base: string;

beforeAll(async () => {
  const router = express.Router();
  router.get('/validation', () => {
    throw new ValidationError('usecase.title_required', 'title: required');
  });
  router.get('/forbidden', () => {
    throw new ForbiddenError('approval.self_approval', 'You cannot approve your own request');
  });
  router.get('/missing', async () => {
    throw new NotFoundError('usecase.not_found', 'No use case UC-9', { key: 'UC-9' });
  });
  router.get('/conflict', () => {
    throw new ConflictError('approval.already_voted', 'You already voted on APR-1');
  });
  router.get('/unavailable', () => {
    throw new UnavailableError('llm.unavailable', 'The model endpoint is not answering');
  });
  router.get('/zod', () => {
    z.object({ severity: z.enum(['sev1', 'sev2']) }).parse({ severity: 'sev9' });
  });
  router.post('/json', express.json(), (req, res) => {
    res.json({ got: req.body });
  });
  router.get('/bug', () => {
    throw new TypeError("Cannot read properties of undefined (reading 'secretInternals')");
  });
  const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: [{ path: '/t', handler: router }] });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function get(path: string, init?: RequestInit) {
  const res = await fetch(base + path, init);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; details?: unknown } } };
}

it.each([
  ['/t/validation', 400, 'usecase.title_required'],
  ['/t/forbidden', 403, 'approval.self_approval'],
  ['/t/missing', 404, 'usecase.not_found'],
  ['/t/conflict', 409, 'approval.already_voted'],
  ['/t/unavailable', 503, 'llm.unavailable'],
])('maps the domain error at %s to %i with its stable code', async (path, status, code) => {
  const r = await get(path);
  expect(r.status).toBe(status);
  expect(r.body.error?.code).toBe(code);
  expect(typeof r.body.error?.message).toBe('string');
});

it('keeps domain error details', async () => {
  expect((await get('/t/missing')).body.error?.details).toEqual({ key: 'UC-9' });
});

it('turns a zod error into 400 with the first issue, naming the field', async () => {
  const r = await get('/t/zod');
  expect(r.status).toBe(400);
  expect(r.body.error?.code).toBe('request.invalid');
  expect(r.body.error?.message).toMatch(/^severity: /);
});

it('answers malformed JSON with 400, and parses good JSON in a mounted router', async () => {
  const bad = await get('/t/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
  expect(bad).toEqual({ status: 400, body: { error: { code: 'request.invalid_json', message: 'The request body is not valid JSON' } } });
  const good = await fetch(`${base}/t/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  expect(await good.json()).toEqual({ got: { a: 1 } });
});

it('hides an unexpected error behind a 500 without a stack trace or internals', async () => {
  const res = await fetch(`${base}/t/bug`);
  const text = await res.text();
  expect(res.status).toBe(500);
  expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: expect.any(String) } });
  expect(text).not.toMatch(/secretInternals|TypeError|at .*\.ts/);
});

it('answers unknown routes with a JSON 404', async () => {
  expect(await get('/nowhere')).toEqual({ status: 404, body: { error: { code: 'http.not_found', message: 'No route for GET /nowhere' } } });
});

it('serves liveness and readiness', async () => {
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
  expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
});
