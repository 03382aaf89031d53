/**
 * Evaluations as a service of the app. Composition root, web role:
 *   const rt = evalRuntimeOnConnection(conn);                 // or bindEvalRuntime(conn, createEvalRuntime(...))
 *   createConversation({ ctx, startEvalRun: chatEvalStarter(ctx, rt) });
 * Worker role: nothing to add; 'eval-run' and 'scheduled-evals' are in ALL_JOBS and find the
 * runtime from the worker's context (evalRuntimeFor).
 */
export { agendaEvalQueue, evalRunRequestSchema, EVAL_RUN_JOB, type EvalQueue, type EvalRunRequest } from './evalQueue';
export { bindEvalRuntime, createEvalRuntime, evalRuntimeFor, evalRuntimeOnConnection, type EvalRuntime, type EvalRuntimeOptions } from './evalRuntime';
export { executeEvalRun, type ExecuteEvalRunResult } from './executeEvalRun';
export { finishEvalRun } from './finishEvalRun';
export { scheduleEvals } from './scheduleEvals';
export { chatEvalStarter, queueEvalRun, startEvalRun } from './startEvalRun';
