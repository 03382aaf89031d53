/**
 * The real server in-process (buildServer on port 0) against the run's database: health,
 * module mounting by role, and graceful shutdown.
 */
import { Router } from 'express';
import type { StewardModule } from '../../src/server/module';
import { buildServer, type RunningServer } from '../../src/server/buildServer';
import { testDbName } from '../support/db';
import { testConfig } from './support';

const uri = process.env.STEWARD_TEST_MONGODB_URI!;
const events: string[] = [];
let release: () => void = () => undefined;
/** Set when the slow route has the request in hand (a fixed wait would depend on the machine's load). */
let handling: () => void = () => undefined;

/** A web module with a slow route (its request is held until `release()`), and a worker module. */
const webModule: StewardModule = {
  name: 'probe-web',
  roles: ['web'],
  start: (ctx) => {
    events.push('web:start');
    ctx.onStop(() => {
      events.push('web:onStop-hook');
    });
    const router = Router();
    router.get('/slow', async (_req, res) => {
      const held = new Promise<void>((r) => (release = r));
      handling();
      await held;
      res.json({ finished: true, dbState: ctx.conn.readyState });
    });
    router.get('/hello', (_req, res) => res.json({ hello: ctx.config.role }));
    return { routes: [{ path: '/probe', handler: router }], stop: () => void events.push('web:stop') };
  },
};
const workerModule: StewardModule = {
  name: 'probe-worker',
  roles: ['worker'],
  start: () => {
    events.push('worker:start');
    return { stop: () => void events.push('worker:stop') };
  },
};
const disabledModule: StewardModule = {
  name: 'probe-disabled',
  roles: ['web', 'worker'],
  enabled: (c) => c.slack.enabled,
  start: () => void events.push('disabled:start'),
};
const modules = [webModule, workerModule, disabledModule];

describe('role all', () => {
  let server: RunningServer;
  let dbName: string;
  beforeAll(async () => {
    dbName = testDbName('server');
    server = await buildServer(testConfig(uri, dbName), { modules });
  });
  afterAll(async () => {
    if (server.conn.readyState === 1) await server.conn.db!.dropDatabase();
    await server.stop({ drainMs: 100 });
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('listens on loopback only, on the port the OS gave it', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('starts the modules of its roles in order, skips disabled ones, and mounts their routes before the 404', async () => {
    expect(events).toEqual(['web:start', 'worker:start']);
    expect(await (await fetch(`${server.url}/probe/hello`)).json()).toEqual({ hello: 'all' });
    expect((await fetch(`${server.url}/probe/nothing-here`)).status).toBe(404);
  });

  it('connects to its configured database', () => {
    expect(server.conn.readyState).toBe(1);
    expect(server.conn.name).toBe(dbName);
  });

  it('shuts down gracefully: finishes in-flight requests, refuses new ones, then stops modules and the database', async () => {
    const handled = new Promise<void>((r) => (handling = r));
    const inFlight = fetch(`${server.url}/probe/slow`); // keep-alive, as browsers and Slack do
    await handled; // the request is now being handled
    await server.conn.db!.dropDatabase();
    const stopping = server.stop({ drainMs: 5000 });

    // No new connections are accepted while in-flight requests finish.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(events).not.toContain('web:stop');

    release();
    const released = Date.now();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true, dbState: 1 }); // the database outlived the request
    await stopping;
    // Idle keep-alive sockets are closed at once, not after their keep-alive timeout (Node's 5 s).
    expect(Date.now() - released).toBeLessThan(3000);
    expect(server.http.listening).toBe(false);
    // Reverse order of start; a module's stop hooks before those of modules started before it.
    expect(events).toEqual(['web:start', 'worker:start', 'worker:stop', 'web:stop', 'web:onStop-hook']);
    expect(server.conn.readyState).toBe(0);
    await server.stop(); // idempotent
  });
});

describe('role worker', () => {
  let server: RunningServer;
  beforeAll(async () => {
    events.length = 0;
    server = await buildServer(testConfig(uri, testDbName('worker'), { role: 'worker' }), { modules });
  });
  afterAll(async () => {
    await server.conn.db!.dropDatabase();
    await server.stop({ drainMs: 100 });
  });

  it('runs worker modules only and serves health, not web routes', async () => {
    expect(events).toEqual(['worker:start']);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/probe/hello`)).status).toBe(404);
  });
});

describe('startup failure', () => {
  it('stops what already started when a module fails to start', async () => {
    events.length = 0;
    const broken: StewardModule = {
      name: 'broken',
      roles: ['web'],
      start: () => {
        throw new Error('cannot reach Slack');
      },
    };
    await expect(buildServer(testConfig(uri, testDbName('broken')), { modules: [workerModule, broken] })).rejects.toThrow(
      'cannot reach Slack',
    );
    expect(events).toEqual(['worker:start', 'worker:stop']);
  });
});
