// Waiting on a condition rather than for a fixed time: poll it until it holds, or fail at a deadline.

export interface WaitOptions {
  /** Fail after this long. */
  timeoutMs: number;
  /** How long to wait between two looks (default 50 ms). */
  intervalMs?: number;
  /** Added to the timeout's message: what was awaited, or the last state seen. */
  why?: () => string;
}

/**
 * Polls `probe` until it gives a value other than undefined, and resolves with that value; rejects
 * once `timeoutMs` has passed. An error thrown by the probe ends the wait at once.
 */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, { timeoutMs, intervalMs = 50, why }: WaitOptions): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms ${why?.() ?? ''}`.trim());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
