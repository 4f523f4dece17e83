import { formatMicroUsd } from "@/components/ui/format";

/** Chart values are micro-dollars (numbers); axes and tooltips show them as money. */
export function moneyTick(value: number): string {
  const micros = BigInt(Math.round(value));
  // Ticks below a dollar that are not whole cents would all read "$0.01": show them to a hundredth of a cent.
  return formatMicroUsd(micros, { precise: micros % 10_000n !== 0n && micros < 1_000_000n && micros > -1_000_000n });
}

/** A tooltip value as money, with four decimals when cents would show $0.00. */
export function moneyTooltip(value: unknown): string {
  const micros = BigInt(Math.round(Number(value) || 0));
  return formatMicroUsd(micros, { precise: micros !== 0n && micros < 10_000n && micros > -10_000n });
}
