// How an A/B comparison's values read (shared by the comparison's sentences and the console, so
// it stays free of the statistics code).
export type ComparisonUnit = "count" | "ratio" | "micros" | "ms";

/**
 * A mean of micro-dollars as dollars, rounded half up in integers (not floats): to four decimals,
 * or to the micro-dollar below a cent, where four decimals would read as nothing.
 */
function formatUsd(micros: number): string {
  const rounded = BigInt(Math.round(Math.abs(micros)));
  if (rounded < 10_000n) return `$0.${rounded.toString().padStart(6, "0")}`;
  const tenThousandths = (rounded + 50n) / 100n;
  return `$${tenThousandths / 10_000n}.${(tenThousandths % 10_000n).toString().padStart(4, "0")}`;
}

export function formatComparisonValue(unit: ComparisonUnit, value: number, signed = false): string {
  const sign = value < 0 ? "−" : signed && value > 0 ? "+" : "";
  const magnitude = Math.abs(value);
  switch (unit) {
    case "count":
      return `${sign}${Math.round(magnitude).toLocaleString("en-US")}`;
    case "ratio":
      return `${sign}${(magnitude * 100).toFixed(1)}${signed ? " points" : " %"}`;
    case "micros":
      return `${sign}${formatUsd(magnitude)}`;
    case "ms":
      return `${sign}${Math.round(magnitude).toLocaleString("en-US")} ms`;
  }
}
