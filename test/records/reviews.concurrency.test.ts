/**
 * Periodic reviews under concurrent writers, on the real database (FerretDB by default, where
 * conditional updates are not atomic): a review is completed exactly once however many people
 * press the button together, the others are told so, and what follows (the use case's dates,
 * the next cycle) happens once; schedulers racing for a cycle create it once; a review closed
 * while someone completes it ends up either completed or cancelled, never both.
 */
import { completeReview } from '../../src/domain/reviews/completeReview';
import { closeOpenReview } from '../../src/domain/reviews/closeOpenReview';
import { scheduleFirstReview } from '../../src/domain/reviews/scheduleFirstReview';
import { ensureReview } from '../../src/domain/schedules/ensureReview';
import type { Person, Review } from '../../src/domain/types';
import { makePerson, makeUseCase } from '../domain/governance.fixtures';
import { useTestContext } from '../support/context';

const t = useTestContext();
const ROUNDS = 20;
const WRITERS = 8;
jest.setTimeout(300_000);

let owner: Person;
let safetyR: Person;
let safetyA: Person;
let legal: Person;

beforeAll(async () => {
  owner = await makePerson(t.ctx, ['llm_product_manager'], 'Owner');
  safetyR = await makePerson(t.ctx, ['ai_security_specialist'], 'Responsible');
  safetyA = await makePerson(t.ctx, ['domain_expert'], 'Accountable');
  legal = await makePerson(t.ctx, ['ai_governance_legal'], 'Legal');
});

const raci = () => [{ area: 'safety_compliance', responsible: [safetyR.id], accountable: [safetyA.id], consulted: [], informed: [] }];
const reviewers = () => [owner, safetyR, safetyA, legal];
const historyOf = (stream: string) => t.ctx.repos.audit.history(stream);

async function reviewedUseCase(): Promise<{ key: string; first: Review }> {
  const uc = await makeUseCase(t.ctx, { ownerId: owner.id, tier: 'high', raci: raci() });
  const first = (await scheduleFirstReview(t.ctx, { useCaseKey: uc.key }))!;
  return { key: uc.key, first };
}

describe('reviews', () => {
  // Half name the review (the button on a review card), half mean "the one open now" (`review done UC-n`).
  it(`${WRITERS} people completing the same review at once: exactly one completes, the others are refused (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { key, first } = await reviewedUseCase();
      t.clock.advanceDays(1);
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) =>
          completeReview(t.ctx, {
            actorId: reviewers()[i % 4]!.id,
            useCaseKey: key,
            ...(i % 2 ? { cycle: first.cycle } : {}),
            attestation: `Round ${round}: reviewer ${i} checked evals, incidents and controls.`,
            evidenceUrl: `https://wiki.example.com/reviews/${round}/${i}`,
          }),
        ),
      );
      const done = results.filter((r) => r.status === 'fulfilled');
      expect(done).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
        expect(r.reason).toMatchObject({ kind: 'conflict', code: 'review.already_completed', message: `Review 1 of ${key} was already completed.` });
      }
      const winner = (done[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof completeReview>>>).value;

      // The review's history: scheduled, then completed once, by the one who was told so.
      const history = await historyOf(`review:${key}#1`);
      expect(history.map((e) => e.action)).toEqual(['review.scheduled', 'review.completed']);
      expect(history[1]!.state).toMatchObject({ completedBy: winner.completed.completedBy, evidenceUrl: winner.completed.evidenceUrl });
      expect(await t.ctx.repos.reviews.get(`${key}#1`)).toMatchObject({ completedBy: winner.completed.completedBy, attestation: winner.completed.attestation });

      // What follows happened once: the use case's dates, and one open next cycle.
      const recorded = (await historyOf(`usecase:${key}`)).filter((e) => e.action === 'usecase.review_recorded');
      expect(recorded.map((e) => e.cause)).toEqual([`review:${key}#1`]);
      expect((await historyOf(`review:${key}#2`)).map((e) => [e.action, e.cause])).toEqual([['review.scheduled', `review:${key}#1`]]);
      const uc = (await t.ctx.repos.useCases.get(key))!;
      expect(uc.lastReviewAt).toEqual(winner.completed.completedAt);
      expect(uc.nextReviewDue).toEqual(winner.next.dueAt);
      const reviews = await t.ctx.repos.reviews.list({ useCaseKey: key });
      expect(reviews.map((r) => [r.cycle, !!r.completedAt])).toEqual([[1, true], [2, false]]);
      expect((await t.ctx.repos.reviews.open(key))!.cycle).toBe(2);
    }
  });

  it(`${WRITERS} schedulers at once create the review once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await makeUseCase(t.ctx, { ownerId: owner.id, tier: 'transparency', raci: raci() });
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) => (i % 2 ? ensureReview(t.ctx, { useCase: uc }) : scheduleFirstReview(t.ctx, { useCaseKey: uc.key }))),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const reviews = await t.ctx.repos.reviews.list({ useCaseKey: uc.key });
      expect(reviews.map((r) => r.cycle)).toEqual([1]);
      expect(await historyOf(`review:${uc.key}#1`)).toHaveLength(1);
      // Every ensureReview answered with that one review.
      for (const r of results.filter((_, i) => i % 2)) expect(r).toMatchObject({ status: 'fulfilled', value: { cycle: 1 } });
    }
  });

  it(`a review closed while people complete it is either completed or cancelled, never both (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { key, first } = await reviewedUseCase();
      const completions = Array.from({ length: WRITERS - 1 }, (_, i) =>
        completeReview(t.ctx, {
          actorId: reviewers()[i % 4]!.id,
          useCaseKey: key,
          cycle: first.cycle,
          attestation: `Round ${round}: all controls checked by ${i}.`,
          evidenceUrl: `https://wiki.example.com/closing/${round}/${i}`,
        }),
      );
      const [closed, ...done] = await Promise.allSettled([closeOpenReview(t.ctx, { useCaseKey: key, actorId: owner.id, reason: 'retired' }), ...completions]);
      expect(closed.status).toBe('fulfilled');
      const review = (await t.ctx.repos.reviews.get(`${key}#1`))!;
      const completedBy = done.filter((r) => r.status === 'fulfilled');
      const refusals = done.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code);
      if (review.completedAt) {
        expect(review.cancelledAt).toBeUndefined();
        expect(completedBy).toHaveLength(1);
        expect(new Set(refusals)).toEqual(new Set(['review.already_completed']));
      } else {
        expect(review.cancelledAt).toBeDefined();
        expect(completedBy).toHaveLength(0);
        expect(refusals.every((c) => c === 'review.cancelled')).toBe(true);
      }
      const actions = (await historyOf(`review:${key}#1`)).map((e) => e.action);
      expect(actions).toEqual(['review.scheduled', review.completedAt ? 'review.completed' : 'review.cancelled']);
    }
  });
});
