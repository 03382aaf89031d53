/** The neutral cards of evaluation requests (the result card is conversation/cards/evalRun.ts). */
import { SHOW_MODEL_ACTION_ID } from '../../conversation/actions';
import type { Card } from '../../conversation/cards/model';

export function evalQueuedCard(i: { modelName: string; suite: string; cases: number; runKey: string; endpointModel: string }): Card {
  return {
    title: `Evaluation of ${i.modelName} on ${i.suite} queued`,
    badge: { label: 'Queued', tone: 'info' },
    text: 'The run starts on the next free worker; runs against one endpoint go one at a time. You will get the summary here when it finishes.',
    fields: [
      { label: 'Model', value: `${i.modelName} (${i.endpointModel})` },
      { label: 'Suite', value: `${i.suite} · ${i.cases} cases` },
    ],
    buttons: [{ label: 'Model card', actionId: SHOW_MODEL_ACTION_ID, value: i.modelName }],
    context: `Request ${i.runKey}`,
  };
}

export function evalNotStartedCard(i: { modelName: string; suite: string; reason: string }): Card {
  return {
    title: `Evaluation of ${i.modelName} on ${i.suite} did not run`,
    badge: { label: 'Not run', tone: 'warning' },
    text: `It could not start: ${i.reason}.`,
    buttons: [{ label: 'Model card', actionId: SHOW_MODEL_ACTION_ID, value: i.modelName }],
  };
}
