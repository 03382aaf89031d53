/**
 * The process's Prometheus metrics (prom-client), one registry per process: counters and
 * histograms that code increments as things happen. Figures read from the database on scrape
 * (outbox depth, scheduler lag, pool in use) live per server in ./serverMetrics.ts.
 *
 * Names follow Prometheus conventions: `_total` counters, `_seconds` durations, base units.
 * Labels are bounded sets (route patterns, job names, outcomes), never ids.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
// Event-loop lag (nodejs_eventloop_lag_*), process memory (process_resident_memory_bytes,
// nodejs_heap_*), CPU, handles, GC: prom-client's standard process metrics.
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

/** Request latencies from 2 ms (an ack) to 10 s (a slow page or a Bot Connector call). */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  httpRequests: new Counter({
    name: 'steward_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  }),
  slackAck: new Histogram({
    name: 'steward_slack_ack_seconds',
    help: 'Time from a Slack request arriving to its acknowledgement (the HTTP answer); Slack gives up at 3 s',
    labelNames: ['status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [registry],
  }),
  slackInFlight: new Gauge({
    name: 'steward_slack_work_in_flight',
    help: 'Slack requests acknowledged whose work has not finished yet (bounded by SLACK_MAX_IN_FLIGHT)',
    registers: [registry],
  }),
  slackBusy: new Counter({
    name: 'steward_slack_busy_refusals_total',
    help: 'Slack requests answered "Steward is busy" because SLACK_MAX_IN_FLIGHT was reached, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  teamsActivity: new Histogram({
    name: 'steward_teams_activity_seconds',
    help: 'Time to process one Bot Framework activity (the bot answers within the request), by activity type',
    labelNames: ['type', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  }),
  schedulerRuns: new Counter({
    name: 'steward_scheduler_job_runs_total',
    help: 'Scheduled job runs in this process, by job and outcome (ok or failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  }),
  schedulerDuration: new Histogram({
    name: 'steward_scheduler_job_duration_seconds',
    help: 'Duration of scheduled job runs in this process, by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  }),
  dispatchPasses: new Counter({
    name: 'steward_outbox_dispatch_passes_total',
    help: 'Passes of the outbox dispatcher in this process, by outcome (ok or failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  deliveries: new Counter({
    name: 'steward_outbox_attempts_total',
    help: 'Delivery attempts settled by this process, by outcome (sent, failed = will retry, dead)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  evalRuns: new Counter({
    name: 'steward_eval_runs_total',
    help: 'Evaluation run requests handled by this process, by outcome (recorded, duplicate, not_started, endpoint_busy, ...)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  evalCases: new Counter({
    name: 'steward_eval_cases_total',
    help: 'Evaluation cases run by this process, by outcome (passed, failed, errored)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  swallowedErrors: new Counter({
    name: 'steward_swallowed_errors_total',
    help: 'Errors a component survived (logged, not thrown), by source',
    labelNames: ['source'] as const,
    registers: [registry],
  }),
};
