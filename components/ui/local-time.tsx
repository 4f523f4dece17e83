"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelative, formatShortDateTime } from "./format";
import { useNow } from "./use-now";

const subscribe = () => () => {};

/** How a time is written: in full ("05 Dec 2026, 14:03:07 CET"), table-sized ("05 Dec, 14:03:07") or relative ("3 minutes ago"). */
export type TimeStyle = "full" | "short" | "relative";

/**
 * The one way the console shows a time: in the viewer's own time zone, with the full time on
 * hover. The server does not know that zone (or the viewer's clock), so the server render shows
 * the time in UTC, marked as such, and the browser writes it in the viewer's zone after hydration.
 */
export function LocalTime({ value, style = "full" }: { value: Date | string; style?: TimeStyle }) {
  const iso = new Date(value).toISOString();
  const title = useSyncExternalStore(
    subscribe,
    () => formatDateTime(value),
    () => formatDateTime(value, "UTC"),
  );
  return (
    <time dateTime={iso} title={title}>
      {style === "relative" ? <Relative value={value} /> : <Zoned value={value} style={style} />}
    </time>
  );
}

function Zoned({ value, style }: { value: Date | string; style: "full" | "short" }) {
  const format = style === "short" ? formatShortDateTime : formatDateTime;
  // Snapshots are strings, so React can compare them between renders.
  return useSyncExternalStore(
    subscribe,
    () => format(value),
    () => format(value, "UTC") + (style === "short" ? " UTC" : ""),
  );
}

/** "3 minutes ago", kept current by a shared half-minute clock. */
function Relative({ value }: { value: Date | string }) {
  const now = useNow(30_000);
  return now === null ? formatDateTime(value, "UTC") : formatRelative(value, now);
}
