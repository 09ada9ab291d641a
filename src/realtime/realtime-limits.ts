/** Open push connections (WebSockets and event streams) per account in this process, within a bound. */
export class RealtimeConnections {
  private readonly open = new Map<string, number>();
  private readonly shutdown = new AbortController();
  /** Aborted when the server stops: every open connection ends then, so none holds the drain until its deadline. */
  readonly closing: AbortSignal = this.shutdown.signal;

  constructor(private readonly perAccount: number) {}

  /** A release function, or null when the account already has as many as it may. */
  admit(accountId: string): (() => void) | null {
    const count = this.open.get(accountId) ?? 0;
    if (count >= this.perAccount) return null;
    this.open.set(accountId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(accountId) ?? 1) - 1;
      if (left > 0) this.open.set(accountId, left);
      else this.open.delete(accountId);
    };
  }

  close(): void {
    this.shutdown.abort();
  }
}
