import { formatMicroUsd } from "@/components/ui/format";

/** Chart values are micro-dollars (numbers); axes and tooltips show them as money. */
export function moneyTick(value: number): string {
  return formatMicroUsd(BigInt(Math.round(value)));
}

/** A tooltip value as money, with four decimals when cents would show $0.00. */
export function moneyTooltip(value: unknown): string {
  const micros = BigInt(Math.round(Number(value) || 0));
  return formatMicroUsd(micros, { precise: micros !== 0n && micros < 10_000n && micros > -10_000n });
}
