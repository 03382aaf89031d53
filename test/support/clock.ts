import type { Clock } from '../../src/domain/ports';

/** A clock the test moves by hand, for the domain's date arithmetic. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-09-01T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(d: Date | string): void {
    this.current = new Date(d);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
