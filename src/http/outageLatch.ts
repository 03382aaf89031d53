/**
 * Answers "the database is unreachable" at once while it is known to be. Without it every
 * request during an outage waited out the driver's server selection (5 s) before its 503. An
 * observed outage error sets the latch; while set, a probe runs once a second (a ping with a
 * short timeout) and the first that succeeds clears it. Requests never wait for a probe.
 */
export class OutageLatch {
  private down = false;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    /** True when the database answers (e.g. a ping with a 1 s timeout). */
    private readonly probe: () => Promise<boolean>,
    private readonly everyMs = 1000,
  ) {}

  isDown(): boolean {
    return this.down;
  }

  /** An outage was observed: answer at once until a probe sees the database again. */
  trip(): void {
    if (this.down || this.closed) return;
    this.down = true;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.probe()
        .catch(() => false)
        .then((up) => {
          if (up || this.closed) this.down = false;
          else this.schedule();
        });
    }, this.everyMs);
    this.timer.unref();
  }
}
