/**
 * Bounded concurrency per endpoint. Every run and every judge call in the process that
 * talks to the same base URL shares one limiter, so two suites run side by side never
 * exceed what one provider accepts.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private max: number) {
    if (!(max >= 1)) throw new Error('concurrency must be at least 1');
  }

  get limit(): number {
    return this.max;
  }
  get inFlight(): number {
    return this.active;
  }

  setLimit(max: number): void {
    if (!(max >= 1)) throw new Error('concurrency must be at least 1');
    this.max = max;
    this.drain();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.drain();
    }
  }

  private drain(): void {
    while (this.active < this.max && this.waiting.length) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}

/** "HTTP://Host:8080/v1/" and "http://host:8080/v1" are the same endpoint. */
export function endpointKey(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return baseUrl.replace(/\/+$/, '').toLowerCase();
  }
}

export const DEFAULT_ENDPOINT_CONCURRENCY = 4;

export class EndpointLimiters {
  private readonly byKey = new Map<string, Limiter>();
  constructor(private readonly defaultLimit = DEFAULT_ENDPOINT_CONCURRENCY) {}

  /** The limiter of the endpoint; a given `limit` reconfigures it for everyone sharing it. */
  for(baseUrl: string, limit?: number): Limiter {
    const key = endpointKey(baseUrl);
    let l = this.byKey.get(key);
    if (!l) {
      l = new Limiter(limit ?? this.defaultLimit);
      this.byKey.set(key, l);
    } else if (limit !== undefined && limit !== l.limit) {
      l.setLimit(limit);
    }
    return l;
  }
}

/** The process-wide registry used unless a caller passes its own. */
export const sharedEndpointLimiters = new EndpointLimiters();
