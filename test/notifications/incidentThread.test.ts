/**
 * An incident's timeline lives in the thread of its post in the incidents channel: every new
 * entry (status change, note) is queued once, threaded under the first post.
 */
import { addTimelineEntry } from '../../src/domain/incidents/addTimelineEntry';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { updateIncidentStatus } from '../../src/domain/incidents/updateIncidentStatus';
import { incidentChannelKey, messagesForEvent } from '../../src/notifications/eventMessages';
import { routeEvents } from '../../src/notifications/routeEvents';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { deliveriesWith, useSweepContext } from '../scheduler/sweepSupport';

const t = useSweepContext();
let team: Team;
beforeAll(async () => {
  team = await registerTeam(t.ctx);
});

it('threads each timeline entry under the incident post, once, with personal data redacted', async () => {
  const stop = routeEvents(t.ctx, t.deliveries);
  try {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Threaded incident' });
    const incident = await reportIncident(t.ctx, {
      reporterId: team.domain_expert!.id,
      useCaseKey: uc.key,
      category: 'hallucination_misinformation',
      severity: 'sev3',
      title: 'Wrong refund window quoted',
    });
    const security = team.ai_security_specialist!;
    await updateIncidentStatus(t.ctx, { actorId: security.id, key: incident.key, status: 'triaged' });
    await addTimelineEntry(t.ctx, { actorId: security.id, key: incident.key, text: 'Customer jane.roe@example.com was affected' });

    const threaded = await deliveriesWith(t, `incident.updated:${incident.key}:`);
    expect(threaded).toHaveLength(2);
    for (const d of threaded) {
      expect(d.to).toEqual({ channel: 'incidents' });
      expect(d.threadKey).toBe(incidentChannelKey(incident.key));
    }
    const texts = threaded.map((d) => d.text).join('\n');
    expect(texts).toMatch(/triaged/);
    expect(texts).not.toContain('jane.roe@example.com');

    // The same event handled again (another process, a retry) queues nothing new.
    const last = t.events.filter((e) => e.type === 'incident.updated').pop()!;
    await t.deliveries.enqueueMany(await messagesForEvent(t.ctx, last), t.clock.now());
    expect(await deliveriesWith(t, `incident.updated:${incident.key}:`)).toHaveLength(2);
  } finally {
    stop();
  }
});
