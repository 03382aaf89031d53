/** Old chat retry claims and scheduler run claims are pruned; recent ones and the domain's exactly-once claims stay. */
import { pruneRetryClaims } from '../../src/domain/schedules/pruneRetryClaims';
import { useTestContext } from '../support/context';

const t = useTestContext();

it('deletes Slack and Teams retry claims and scheduler run claims older than a week, and nothing else', async () => {
  const claims = t.ctx.repos.claims;
  await claims.claim('slack:old-trigger', { channel: 'slack' });
  await claims.claim('teams:old-activity', { channel: 'teams' });
  await claims.claim('slack:new-trigger', { channel: 'slack' });
  await claims.claim('job-run:reviews.sweep@2026-11-20T10:00:00.000Z', { channel: 'scheduler' });
  await claims.claim('review.complete:UC-1#1', { by: 'someone' });
  await claims.claim('approval-decision-finish:APR-1');
  const raw = t.ctx.conn.collection('claims');
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  await raw.updateMany({ _id: { $in: ['slack:old-trigger', 'teams:old-activity', 'job-run:reviews.sweep@2026-11-20T10:00:00.000Z', 'review.complete:UC-1#1', 'approval-decision-finish:APR-1'] } as never }, { $set: { at: tenDaysAgo } });

  t.clock.set(new Date());
  expect(await pruneRetryClaims(t.ctx)).toBe(3);
  const left = (await raw.find({}).toArray()).map((d) => String(d._id)).sort();
  expect(left).toEqual(['approval-decision-finish:APR-1', 'review.complete:UC-1#1', 'slack:new-trigger']);
  // A pruned retry key can be claimed again; the domain's claims still refuse a second claim.
  expect(await claims.claim('slack:old-trigger', { channel: 'slack' })).toBe(true);
  expect(await claims.claim('review.complete:UC-1#1')).toBe(false);
});
