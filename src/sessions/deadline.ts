// A lazily checked deadline timer: moving its start point is a plain assignment, so the hot event path sets no timers.
export interface DeadlineOptions {
  /** Length in ms; 0 or less disables the deadline. */
  ms: number;
  now: () => number;
  /** When the waiting started (the last activity). */
  since: () => number;
  /** Called once when now() - since() >= ms; re-arm to wait again. */
  onExpire: () => void;
}

export class Deadline {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: DeadlineOptions) {}

  get armed(): boolean {
    return this.timer !== undefined;
  }

  /** Starts waiting unless already waiting. */
  arm(): void {
    if (this.options.ms <= 0 || this.timer) return;
    this.schedule(this.options.ms - (this.options.now() - this.options.since()));
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(0, delay));
    this.timer.unref?.();
  }

  private check(): void {
    this.timer = undefined;
    const left = this.options.ms - (this.options.now() - this.options.since());
    if (left > 0) this.schedule(left);
    else this.options.onExpire();
  }
}
