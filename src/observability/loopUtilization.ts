/**
 * How busy this process's event loop has been lately: the share of the last window (at least
 * `windowMs`) it spent running code rather than waiting, from Node's own accounting
 * (performance.eventLoopUtilization). Read on demand, with no timer: a process that received
 * nothing for a while reads its whole quiet spell as one idle window.
 */
import { performance } from 'node:perf_hooks';

export type LoopUtilization = () => number;

export function loopUtilizationMeter(windowMs = 250): LoopUtilization {
  let mark = performance.eventLoopUtilization();
  let markedAt = performance.now();
  let last = 0;
  return () => {
    const now = performance.now();
    if (now - markedAt >= windowMs) {
      const current = performance.eventLoopUtilization();
      last = performance.eventLoopUtilization(current, mark).utilization;
      mark = current;
      markedAt = now;
    }
    return last;
  };
}
