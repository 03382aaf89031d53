/**
 * botframework-connector prints to the console while it checks a token, and what it prints
 * for a bad signature is every signing key it holds (`Error finding key for token. Available
 * keys: -----BEGIN RSA PUBLIC KEY-----…`), for an expired token the whole error. Whoever sends
 * forged tokens would fill the log with key material at will. So the token check runs inside
 * `quietly`: console output made within that async call is dropped (counted, not printed), and
 * the caller logs one line of its own. Output from anything else in the process is untouched
 * (the AsyncLocalStorage store exists only inside `quietly`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const LEVELS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const scope = new AsyncLocalStorage<{ dropped: number }>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const level of LEVELS) {
    const original = console[level];
    console[level] = function (this: Console, ...args: unknown[]) {
      const quiet = scope.getStore();
      if (quiet) {
        quiet.dropped += 1;
        return;
      }
      return original.apply(this, args);
    };
  }
}

/** Runs `fn`; console output it makes (also in awaited callees) is dropped. `dropped` counts the lines. */
export async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; dropped: number } | { error: unknown; dropped: number }> {
  install();
  const state = { dropped: 0 };
  try {
    return { value: await scope.run(state, fn), dropped: state.dropped };
  } catch (error) {
    return { error, dropped: state.dropped };
  }
}
