// Holm's step-down correction (Holm, "A simple sequentially rejective multiple test procedure",
// Scandinavian Journal of Statistics, 1979): sort the m p-values; the k-th smallest (k = 1…m) is
// compared with α / (m − k + 1), stopping at the first that fails. It controls the family-wise
// error rate at α for any dependence between the tests, and it stays valid with always-valid
// p-values looked at over time (a true null is rejected only if some true null's p falls below
// α / m₀, which happens with probability at most α).

export interface HolmDecision {
  /** The threshold this test was compared with (Infinity when a smaller p already failed). */
  threshold: number;
  rejected: boolean;
}

export function holm(pValues: readonly number[], alpha: number): HolmDecision[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const decisions: HolmDecision[] = pValues.map(() => ({ threshold: alpha / Math.max(1, m), rejected: false }));
  let stopped = false;
  order.forEach(({ p, index }, k) => {
    const threshold = alpha / (m - k);
    const decision = decisions[index];
    if (!decision) return;
    decision.threshold = threshold;
    if (!stopped && p <= threshold) decision.rejected = true;
    else stopped = true;
  });
  return decisions;
}
