// The budget form's text fields as the API wants them (pure, tested).

/** "50, 80, 100" → [50, 80, 100]; an empty field means no alerts. */
export function parseThresholds(text: string): { ok: true; thresholds: number[] } | { ok: false; message: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.replace(/%$/, "").trim())
    .filter((part) => part !== "");
  const thresholds: number[] = [];
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { ok: false, message: `"${part}" is not a whole percentage` };
    const value = Number(part);
    if (value < 1 || value > 100) return { ok: false, message: "Thresholds are between 1 and 100 %" };
    if (!thresholds.includes(value)) thresholds.push(value);
  }
  if (thresholds.length > 5) return { ok: false, message: "At most five thresholds" };
  return { ok: true, thresholds: thresholds.sort((a, b) => a - b) };
}

/** A stored limit as the text the form starts from: "250" or "99.5" (no trailing zeros). */
export function limitText(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
