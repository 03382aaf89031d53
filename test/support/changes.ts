/**
 * The change a test fixture writes when it stores a record directly through a repository
 * (rather than a domain operation): audited like any other, as the fixture's own action.
 */
import type { Change } from '../../src/domain/ports';

export const fixtureChange = (action = 'test.fixture', at: Date = new Date()): Change => ({ at, actorId: 'test-fixture', action });

/** For repositories whose create takes a change built for the allocated key. */
export const fixtureChangeFor =
  (action = 'test.fixture', at: Date = new Date()) =>
  (): Change =>
    fixtureChange(action, at);
