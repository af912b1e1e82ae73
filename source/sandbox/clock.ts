// The sandbox's clock. The simulator is lazy: it never sets timers, it catches up to
// clock.now() whenever a request arrives. So a test's ManualClock makes every run the same,
// and a ScaledClock runs a demo deployment faster than real time.

export interface Clock {
  /** Milliseconds since the epoch, sandbox time. */
  now(): number;
  /** How many sandbox milliseconds pass per real millisecond. */
  readonly speed: number;
}

export class ManualClock implements Clock {
  readonly speed = 1;
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms < 0) throw new Error("a clock does not run backwards");
    this.t += ms;
  }
  set(t: number): void {
    if (t < this.t) throw new Error("a clock does not run backwards");
    this.t = t;
  }
}

export class ScaledClock implements Clock {
  private readonly realStart: number;
  constructor(
    private readonly start: number,
    readonly speed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(speed > 0)) throw new Error("speed must be a number greater than 0");
    this.realStart = realNow();
  }
  now(): number {
    return Math.floor(this.start + (this.realNow() - this.realStart) * this.speed);
  }
}
