/** Nearest-rank percentile of `values` (0 < p <= 100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summary(label: string, valuesMs: number[]): string {
  const fmt = (n: number) => `${Math.round(n)} ms`;
  return `${label}: n=${valuesMs.length} p50=${fmt(percentile(valuesMs, 50))} p95=${fmt(percentile(valuesMs, 95))} min=${fmt(Math.min(...valuesMs))} max=${fmt(Math.max(...valuesMs))}`;
}

/** What waitFor throws when its probe found nothing in time: a run that was slow, not one that broke. */
export class WaitTimedOut extends Error {}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new WaitTimedOut(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
