// The Events list pages newest first by (ts desc, id desc). Its cursor names the last row shown by
// both keys: the timestamp alone is not unique (a batch often shares one), the id alone is not in
// time order (events arrive late). Opaque to clients; only this module reads or writes it.

export interface EventCursor {
  /** The last row's timestamp (milliseconds: the column is timestamptz(3), so this is exact). */
  ts: Date;
  /** The last row's id (a bigserial). */
  id: bigint;
}

const CURSOR = /^(\d{1,15})\.(\d{1,19})$/;
const MAX_BIGSERIAL = 9_223_372_036_854_775_807n;

export function encodeEventCursor(cursor: EventCursor): string {
  return `${cursor.ts.getTime()}.${cursor.id.toString()}`;
}

/** The cursor, or null when the string is not one this module wrote (a hand-edited link). */
export function decodeEventCursor(value: string): EventCursor | null {
  const match = CURSOR.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const ts = new Date(Number(match[1]));
  const id = BigInt(match[2]);
  if (Number.isNaN(ts.getTime()) || id > MAX_BIGSERIAL) return null;
  return { ts, id };
}
