/**
 * What runs before the ack (src/channels/slack/requestGate.ts, teamGate.ts), trimmed by the
 * bench/slack.bench.ts profile: a request whose signature the gate checked is handed to Bolt's
 * receiver already parsed (one signature check and one parse per request, not two), while every
 * request whose signature does not hold, and the url_verification handshake, still go through
 * Bolt's own router (which answers 401 / the challenge). Real express, real signed HTTP.
 */
import express, { type Request, type RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackRequestGate } from '../../../src/channels/slack/requestGate';
import { requestAllowed, teamsOfRequest } from '../../../src/channels/slack/teamGate';
import { APPROVE_ACTION_ID } from '../../../src/conversation/actions';
import { errorHandler } from '../../../src/http/errors';
import { silentLogger } from '../../../src/logger';
import { interactionBody, postSigned, slashCommandBody, TEST_SIGNING_SECRET } from '../../support/slackSigning';
import { blockAction, slashCommand } from './support/payloads';

let server: Server;
let url: string;
const dispatched: Array<{ body: unknown }> = [];
const viaBolt: Array<{ rawBody: string }> = [];

beforeAll(async () => {
  // Bolt's router stands in as a handler that records what it got (its own 401 is tested in http.test.ts).
  const bolt: RequestHandler = (req, res) => {
    viaBolt.push({ rawBody: String((req as Request & { rawBody?: Buffer }).rawBody ?? '') });
    res.status(299).end();
  };
  const gate = slackRequestGate(
    {
      signingSecret: TEST_SIGNING_SECRET,
      logger: silentLogger,
      client: () => {
        throw new Error('no Web API call expected');
      },
      dispatch: async (req, res) => {
        dispatched.push({ body: req.body });
        res.status(200).json({ dispatched: true });
      },
    },
    bolt,
  );
  const app = express();
  app.use(gate);
  app.use(errorHandler(silentLogger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  dispatched.length = 0;
  viaBolt.length = 0;
});

describe('the Slack request gate hands checked requests to Bolt once', () => {
  it('a signed /steward command reaches the receiver parsed, without a second pass through Bolt’s router', async () => {
    const fields = slashCommand({ user_id: 'U0GATE', text: 'raci UC-1', response_url: 'https://hooks.slack.com/commands/T0001/1/x' });
    const res = await postSigned(url, slashCommandBody(fields));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ dispatched: true });
    expect(viaBolt).toHaveLength(0);
    expect(dispatched).toEqual([{ body: expect.objectContaining({ command: '/steward', text: 'raci UC-1', user_id: 'U0GATE' }) }]);
  });

  it('a signed button click reaches the receiver as the parsed payload', async () => {
    const payload = blockAction({ userId: 'U0GATE', actionId: APPROVE_ACTION_ID, value: 'x' });
    const res = await postSigned(url, interactionBody(payload));
    expect(res.status).toBe(200);
    expect(viaBolt).toHaveLength(0);
    expect(dispatched[0]?.body).toMatchObject({ type: 'block_actions', actions: [{ action_id: APPROVE_ACTION_ID }] });
  });

  it.each([
    ['a wrong signature', { secret: 'not-the-secret-0123456789abcdefgh' }],
    ['a stale timestamp (older than 5 minutes)', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('%s never reaches the receiver directly: Bolt’s router (and its 401) gets it', async (_what, opts) => {
    const body = slashCommandBody(slashCommand({ user_id: 'U0GATE', text: 'whoami', response_url: 'https://hooks.slack.com/commands/T0001/1/x' }));
    const res = await postSigned(url, body, opts);
    expect(res.status).toBe(299);
    expect(dispatched).toHaveLength(0);
    expect(viaBolt).toEqual([{ rawBody: body }]);
  });

  it('the url_verification handshake goes through Bolt’s router, which answers the challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 'x' });
    const res = await postSigned(url, body, { contentType: 'application/json' });
    expect(res.status).toBe(299);
    expect(dispatched).toHaveLength(0);
    expect(viaBolt).toHaveLength(1);
  });

  it('a signed but malformed command is refused with 400 and reaches neither', async () => {
    const res = await postSigned(url, slashCommandBody({ command: '/steward', text: 'whoami' }));
    expect(res.status).toBe(400);
    expect(dispatched).toHaveLength(0);
    expect(viaBolt).toHaveLength(0);
  });
});

describe('the team gate reads ids by hand, with the schema’s rule: not a non-empty string, or not an object, is absent', () => {
  const allowed = new Set(['T0001', 'E0GRID']);
  it.each([
    ['a team id that is a number', { team_id: 1 }, { teams: [], enterprises: [] }, false],
    ['an empty team id', { team_id: '' }, { teams: [], enterprises: [] }, false],
    ['a user that is a string (ignored)', { team_id: 'T0001', user: 'U1' }, { teams: ['T0001'], enterprises: [] }, true],
    ['authorizations with a malformed entry (all ignored)', { team_id: 'T0001', authorizations: [{ team_id: 'T0002' }, null] }, { teams: ['T0001'], enterprises: [] }, true],
    ['authorizations naming another team', { team_id: 'T0001', authorizations: [{ team_id: 'T0002', enterprise_id: null }] }, { teams: ['T0001', 'T0002'], enterprises: [] }, false],
    ['a team that is an array (ignored)', { team: ['T0001'], enterprise: { id: 'E0GRID' } }, { teams: [], enterprises: ['E0GRID'] }, true],
    ['the same team named twice', { team_id: 'T0001', team: { id: 'T0001' }, view: { app_installed_team_id: 'T0001' } }, { teams: ['T0001'], enterprises: [] }, true],
  ])('%s', (_what, body, ids, expected) => {
    expect(teamsOfRequest(body)).toEqual(ids);
    expect(requestAllowed(allowed, teamsOfRequest(body))).toBe(expected);
  });
});
