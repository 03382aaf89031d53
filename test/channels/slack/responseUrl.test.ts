/** The response_url poster: Bolt respond()'s wire format, over a real local HTTP server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { responder, ResponseUrlError } from '../../../src/channels/slack/responseUrl';

let server: Server;
let base = '';
const seen: Array<{ path: string; type?: string; body: unknown }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(body) });
      res.statusCode = req.url?.startsWith('/gone') ? 404 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

test('posts the message as JSON, several times over kept-alive connections', async () => {
  const respond = responder(`${base}/hook/1?x=y`);
  await respond({ response_type: 'ephemeral', text: 'one' });
  await respond({ response_type: 'ephemeral', text: 'two', blocks: [{ type: 'divider' }] });
  expect(seen.slice(-2)).toEqual([
    { path: '/hook/1?x=y', type: 'application/json', body: { response_type: 'ephemeral', text: 'one' } },
    { path: '/hook/1?x=y', type: 'application/json', body: { response_type: 'ephemeral', text: 'two', blocks: [{ type: 'divider' }] } },
  ]);
});

test('a refused reply or an unreachable URL is an error, like respond()', async () => {
  await expect(responder(`${base}/gone`)({ text: 'late' })).rejects.toEqual(new ResponseUrlError(404));
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await expect(responder(`http://127.0.0.1:${port}/x`)({ text: 'x' })).rejects.toThrow();
  await expect(responder('ftp://example.com/x')({ text: 'x' })).rejects.toThrow(/unsupported protocol/);
});
