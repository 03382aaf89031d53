/**
 * The driver hang driverGuard.ts works around, reproduced on a real socket with the driver's own
 * Connection: the connection closes while a command is being serialised. Unguarded, the write
 * waits forever (if this first test fails, the driver fixed it and the guard can go); guarded,
 * it fails with the connection's network error, and ordinary writes are untouched.
 */
import { createRequire } from 'node:module';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { guardDriverWrites } from './driverGuard';

const { Connection } = createRequire(require.resolve('mongoose'))('mongodb/lib/cmap/connection');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: Server;
const accepted: Socket[] = [];
beforeAll(async () => {
  server = createServer((s) => {
    accepted.push(s);
    s.on('data', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((r) => server.close(r));
});

async function driverConnection(): Promise<{ conn: any; socket: Socket }> {
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  return { conn: new Connection(socket, { id: 1, generation: 0 }), socket };
}

/** A command whose serialisation takes a moment, during which the connection closes. */
const closingWhileSerialised = (socket: Socket) => ({
  toBin: async () => {
    socket.destroy();
    await sleep(20);
    return [Buffer.alloc(64)];
  },
});

async function outcome(write: Promise<unknown>): Promise<string> {
  return Promise.race([
    write.then(
      () => 'written',
      (e: Error) => `${e.name}: ${e.message}`,
    ),
    sleep(1000).then(() => 'hung'),
  ]);
}

it('unguarded, a write on a connection that closed while it was serialised waits forever', async () => {
  const { conn, socket } = await driverConnection();
  expect(await outcome(conn.writeCommand(closingWhileSerialised(socket), { agreedCompressor: 'none' }))).toBe('hung');
});

it('guarded, the same write fails with the connection network error; other writes are untouched', async () => {
  expect(guardDriverWrites()).toBe(true);
  expect(guardDriverWrites()).toBe(true); // once per process, however often it is called
  const closing = await driverConnection();
  expect(await outcome(closing.conn.writeCommand(closingWhileSerialised(closing.socket), { agreedCompressor: 'none' }))).toMatch(
    /^MongoNetworkError: connection .* closed$/,
  );
  // Already closed: refused at once.
  expect(await outcome(closing.conn.writeCommand({ toBin: async () => [Buffer.alloc(8)] }, { agreedCompressor: 'none' }))).toMatch(/^MongoNetworkError/);

  const open = await driverConnection();
  expect(await outcome(open.conn.writeCommand({ toBin: async () => [Buffer.alloc(64)] }, { agreedCompressor: 'none' }))).toBe('written');
  expect(open.conn.listenerCount('close')).toBe(0);
  open.conn.destroy();
});
