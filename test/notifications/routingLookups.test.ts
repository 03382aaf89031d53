/**
 * The outbox looks a batch's recipients up in one read (CompositeNotifier.prepare) instead of a
 * history read per person, hands each channel the person it read, and still routes correctly
 * when that read misses someone, fails, or is older than a change of who is reachable where.
 */
import type { OutboundMessage, PeopleRepository } from '../../src/domain/ports';
import type { Person } from '../../src/domain/types';
import { CompositeNotifier } from '../../src/notifications/compositeNotifier';
import { Dispatcher } from '../../src/notifications/dispatcher';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import type { MongoPeopleRepository } from '../../src/store/people.repo';
import { useTestContext } from '../support/context';
import { duplicates, person, RecordingNotifier } from '../scheduler/fixtures';

const t = useTestContext();
let deliveries: MongoDeliveryRepository;

beforeAll(async () => {
  deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.init();
});

/** The people repository, counting reads by kind; `failMany` makes the batch read fail. */
function countingPeople() {
  const reads = { byId: [] as string[], many: 0, failMany: false };
  const repo: Pick<PeopleRepository, 'findById' | 'findMany'> = {
    findById: (id) => {
      reads.byId.push(id);
      return t.ctx.repos.people.findById(id);
    },
    findMany: async (ids) => {
      reads.many++;
      if (reads.failMany) throw new Error('database went away');
      return t.ctx.repos.people.findMany!(ids);
    },
  };
  return { reads, repo };
}

/** Records the recipient each send was handed. */
class RecipientNotifier extends RecordingNotifier {
  recipients = new Map<string, Person | undefined>();
  override async send(message: OutboundMessage, recipient?: Person): Promise<{ ref: string }> {
    this.recipients.set(message.key, recipient);
    return super.send(message);
  }
}

const msg = (key: string, personId: string): OutboundMessage => ({ key, to: { personId }, card: { title: key, text: 'hi' }, text: key });

describe('recipients looked up once per batch', () => {
  it('a burst to six people is one read, each send gets its person, a person the list lacks is read from history', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => person(t.ctx.repos, { slackUserId: `U_BURST${i}` })));
    // The last one's list entry is missing, as while its write is still on the way.
    const lagging = people[5]!;
    await (t.ctx.repos.people as MongoPeopleRepository).model.collection.deleteOne({ _id: lagging.id as never });
    const { reads, repo } = countingPeople();
    const slack = new RecipientNotifier();
    const router = new CompositeNotifier(repo).register('slack', slack);
    const dispatcher = new Dispatcher({ deliveries, clock: t.clock, router }, { concurrency: 8 });
    const burst = Array.from({ length: 60 }, (_, i) => msg(`burst-${i}`, people[i % 6]!.id));
    await deliveries.enqueueMany(burst, t.clock.now());
    await dispatcher.dispatchDue();

    expect(slack.keys().filter((k) => k.startsWith('burst-')).sort()).toEqual(burst.map((m) => m.key).sort());
    expect(duplicates(slack.keys())).toEqual([]);
    expect(reads.many).toBe(1);
    expect(reads.byId).toEqual([lagging.id]);
    for (const m of burst) {
      const to = (m.to as { personId: string }).personId;
      expect(slack.recipients.get(m.key)).toMatchObject({ id: to, slackUserId: people.find((p) => p.id === to)!.slackUserId });
    }
  });

  it('when the batch read fails, each recipient is read on its own and nothing is lost', async () => {
    const a = await person(t.ctx.repos, { slackUserId: 'U_FAILMANY_A' });
    const b = await person(t.ctx.repos, { slackUserId: 'U_FAILMANY_B' });
    const { reads, repo } = countingPeople();
    reads.failMany = true;
    const slack = new RecipientNotifier();
    const dispatcher = new Dispatcher({ deliveries, clock: t.clock, router: new CompositeNotifier(repo).register('slack', slack) });
    await deliveries.enqueueMany([msg('failmany-1', a.id), msg('failmany-2', b.id), msg('failmany-3', a.id)], t.clock.now());
    await dispatcher.dispatchDue();
    expect(slack.keys().filter((k) => k.startsWith('failmany-')).sort()).toEqual(['failmany-1', 'failmany-2', 'failmany-3']);
    expect(reads.many).toBe(1);
    // One read each, shared by the sends to the same person.
    expect([...reads.byId].sort()).toEqual([a.id, b.id].sort());
    for (const key of ['failmany-1', 'failmany-2', 'failmany-3']) expect((await deliveries.get(key))!.status).toBe('sent');
  });

  it('a person who unlinks Slack stops getting Slack messages once the cached read expires', async () => {
    const p = await person(t.ctx.repos, { slackUserId: 'U_UNLINKS' });
    const { reads, repo } = countingPeople();
    const slack = new RecipientNotifier();
    const router = new CompositeNotifier(repo, 200).register('slack', slack);
    const dispatcher = new Dispatcher({ deliveries, clock: t.clock, router });
    await deliveries.enqueueMany([msg('unlink-1', p.id)], t.clock.now());
    await dispatcher.dispatchDue();
    expect(slack.keys()).toContain('unlink-1');

    const { slackUserId: _gone, ...rest } = (await t.ctx.repos.people.findById(p.id))!;
    await t.ctx.repos.people.update(rest, { at: t.clock.now(), actorId: 'system', action: 'person.unlinked' });
    await new Promise((r) => setTimeout(r, 250));
    await deliveries.enqueueMany([msg('unlink-2', p.id)], t.clock.now());
    await dispatcher.dispatchDue();
    expect(slack.keys()).not.toContain('unlink-2');
    expect((await deliveries.get('unlink-2'))!).toMatchObject({ status: 'sent', refs: { console: 'unlink-2' } });
    expect(reads.many).toBe(2);
    expect(reads.byId).toEqual([]);
  });
});
