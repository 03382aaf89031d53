import type { DomainEvent } from './events';
import type { EventBus } from './ports';

/**
 * In-process event bus. A failing subscriber is reported to `onError` and never fails the
 * operation that emitted: the change is already stored, and delivery has its own retries.
 */
export class InProcessEventBus implements EventBus {
  private handlers = new Set<(e: DomainEvent) => Promise<void> | void>();
  constructor(private readonly onError: (err: unknown, event: DomainEvent) => void = () => undefined) {}

  on(handler: (e: DomainEvent) => Promise<void> | void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async emit(event: DomainEvent): Promise<number> {
    const results = await Promise.all(
      [...this.handlers].map(async (h) => {
        try {
          await h(event);
          return 0;
        } catch (err) {
          this.onError(err, event);
          return 1;
        }
      }),
    );
    return results.reduce<number>((a, b) => a + b, 0);
  }
}
