// Waiting with a deadline: shutdown, the readiness probe and the cluster primary all wait for
// something that may never come (a frozen database, a stuck worker) and must give up in time.

/** What `promise` resolves to, or `late` if it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** True if `promise` settles (either way) within `ms`. */
export const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  within(
    promise.then(
      () => true,
      () => true,
    ),
    ms,
    false,
  );
