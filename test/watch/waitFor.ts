/**
 * waitFor: polls a condition until it holds or a generous deadline passes (tests run on a loaded 2-core
 * machine; never assert on fixed sleeps). On timeout it throws with the last value `describe` gives.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; what: string; describe?: () => unknown },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const detail = opts.describe ? `; last state: ${JSON.stringify(opts.describe()).slice(0, 2000)}` : '';
      throw new Error(`timed out waiting for ${opts.what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
