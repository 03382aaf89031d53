/**
 * Starts support/crashChild.ts as a real process and kills it with SIGKILL at a random moment
 * after it starts its bursts, keeping count of what it was doing when it died.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { CrashPlan } from './crashPlan';

const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'crashChild.ts');

/** Children still running: a test that fails or times out mid-round kills them (killStragglers). */
const live = new Set<ChildProcess>();

export function killStragglers(): void {
  for (const child of live) child.kill('SIGKILL');
}

export interface RoundResult {
  /** Operations started and ended (by outcome) before the process died. */
  started: number;
  ended: Record<string, number>;
  /** Operations running at the kill (started, never ended). */
  inFlight: number;
  /** Operations in flight at the kill, by kind (vote, request, incident). */
  inFlightByOp: Record<string, number>;
  /** What the child's reaction sweeps finished (left by the previous run, or racing its writers). */
  swept: number;
  /** Unexpected failures the child reported (not refusals). */
  errors: string[];
  /** Whether the kill came before the child ran out of work. */
  killed: boolean;
  /** Milliseconds from the first finished operation to the kill. */
  killAfterMs: number;
  startupMs: number;
  /** The child's own start-up timings (its ready line). */
  ready?: Record<string, unknown>;
}

/**
 * Runs the child with `plan` and kills it (-9) `killAfterMs` into its bursts, counted from its
 * first finished operation (or `firstOpTimeoutMs` after it is ready, whichever comes first): on
 * a loaded machine one operation can take seconds, and a kill before anything ever finishes
 * would only ever test the start. Resolves once the process is gone; a child that fails before
 * it is ready rejects (with its output).
 */
export function runAndKill(plan: CrashPlan, killAfterMs: number, opts: { readyTimeoutMs?: number; firstOpTimeoutMs?: number } = {}): Promise<RoundResult> {
  const started = Date.now();
  // `node --import tsx`: one process, so the SIGKILL hits the process doing the work.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', CRASH_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const running = new Map<number, string>();
  const result: RoundResult = { started: 0, ended: {}, inFlight: 0, inFlightByOp: {}, swept: 0, errors: [], killed: false, killAfterMs, startupMs: 0 };
  let stderr = '';
  let buffer = '';
  let ready = false;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let fallback: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    const readyTimer = setTimeout(() => child.kill('SIGKILL'), opts.readyTimeoutMs ?? 60_000);
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    const kill = () => {
      // A child that finished its work and is exiting by itself is left to do so.
      if (!gone() && !done) result.killed = child.kill('SIGKILL');
    };
    const arm = () => {
      if (!timer && !gone()) timer = setTimeout(kill, killAfterMs);
    };
    const onLine = (line: string) => {
      if (!line.startsWith('{')) return;
      const m = JSON.parse(line) as { t: string; id?: number; op?: string; r?: string; completed?: number; err?: string };
      if (m.t === 'ready') {
        ready = true;
        clearTimeout(readyTimer);
        result.startupMs = Date.now() - started;
        result.ready = m as Record<string, unknown>;
        fallback = setTimeout(arm, opts.firstOpTimeoutMs ?? 8000);
      } else if (m.t === 's') {
        result.started++;
        running.set(m.id!, m.op!);
      } else if (m.t === 'e') {
        arm();
        running.delete(m.id!);
        const outcome = m.r!.startsWith('error:') ? 'error' : m.r!;
        result.ended[outcome] = (result.ended[outcome] ?? 0) + 1;
        if (outcome === 'error') result.errors.push(m.r!);
      } else if (m.t === 'sweep') result.swept += m.completed ?? 0;
      else if (m.t === 'done') done = true;
      else result.errors.push(line); // sweep_error, route_error, fatal
    };
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // 'close' comes after the child's output is all read: what is still running then was cut off.
    child.on('close', (code, signal) => {
      live.delete(child);
      for (const t of [readyTimer, timer, fallback]) clearTimeout(t);
      if (!ready) return reject(new Error(`the child never got ready (exit ${code ?? signal}): ${[...result.errors, stderr].join('\n').slice(-3000)}`));
      if (signal !== 'SIGKILL' && code !== 0) result.errors.push(`exit ${code}: ${stderr.slice(-2000)}`);
      result.inFlight = running.size;
      for (const op of running.values()) result.inFlightByOp[op] = (result.inFlightByOp[op] ?? 0) + 1;
      resolve(result);
    });
  });
}
