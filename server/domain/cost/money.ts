// Money is integer micro-dollars (bigint) from the moment it enters the system; these are the
// only conversions between micro-dollars and decimal text.

export const MICROS_PER_USD = 1_000_000n;

/**
 * Exact conversion of a decimal amount (a JSON number or decimal string) to micro-dollars,
 * rounding half up at the sixth decimal. Numbers go through their shortest decimal text, so
 * 0.1 is 100000, not 100000.00000000001.
 */
export function usdToMicros(amount: number | string): bigint {
  const text = typeof amount === "number" ? numberToPlainDecimal(amount) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${text}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const padded = `${fraction}0000000`;
  let micros = BigInt(whole) * MICROS_PER_USD + BigInt(padded.slice(0, 6));
  if (Number(padded[6]) >= 5) micros += 1n;
  return sign === "-" ? -micros : micros;
}

function numberToPlainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError("Not a finite amount");
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 and the like: expand the exponent without going through floating point again.
  return value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
}

/** Micro-dollars as a decimal string of dollars with six decimals ("12.340000"). */
export function microsToUsdString(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return `${negative ? "-" : ""}${abs / MICROS_PER_USD}.${(abs % MICROS_PER_USD).toString().padStart(6, "0")}`;
}

/** Micro-dollars as money for people to read: "$1,234.50", or four decimals with `precise`. */
export function formatMicroUsd(micros: bigint | number | string, options: { precise?: boolean } = {}): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const dollars = abs / MICROS_PER_USD;
  const fraction = abs % MICROS_PER_USD;
  const digits = options.precise ? 4 : 2;
  // Round half up at the shown precision.
  const scale = 10n ** BigInt(6 - digits);
  let rounded = (fraction + scale / 2n) / scale;
  let whole = dollars;
  if (rounded >= 10n ** BigInt(digits)) {
    whole += 1n;
    rounded = 0n;
  }
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  // A debit that rounds to nothing is shown as $0.00, not "-$0.00".
  const sign = negative && (whole > 0n || rounded > 0n) ? "-" : "";
  return `${sign}$${wholeText}.${rounded.toString().padStart(digits, "0")}`;
}

/**
 * The cost of a call from list prices in micro-dollars per million tokens, rounded half up to
 * the micro-dollar.
 */
export function tokenCostMicros(input: { inputTokens: number; outputTokens: number; inputMicrosPerMTok: bigint; outputMicrosPerMTok: bigint }): bigint {
  const numerator = BigInt(input.inputTokens) * input.inputMicrosPerMTok + BigInt(input.outputTokens) * input.outputMicrosPerMTok;
  return (numerator + 500_000n) / 1_000_000n;
}
