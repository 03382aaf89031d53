/**
 * How an operator CLI ends: its exit code, or on an unexpected failure one line naming the
 * command and the error (no stack trace) and exit code 1.
 */
export function runCli(name: string, main: () => Promise<number>, opts: { drainStdout?: boolean } = {}): void {
  main().then(
    (code) => {
      // exitCode, not exit(): a piped stdout drains before the process ends.
      if (opts.drainStdout) process.exitCode = code;
      else process.exit(code);
    },
    (e: unknown) => {
      console.error(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
