"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "@/components/ui/format";

const subscribe = () => () => {};

function short(value: Date | string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone }).format(new Date(value));
}

/** A table-sized time ("25 Nov, 14:03:07") in the viewer's zone; the full date, year and zone on hover. */
export function ShortTime({ value }: { value: Date | string }) {
  // Snapshots are strings, so React can compare them between renders.
  const text = useSyncExternalStore(
    subscribe,
    () => short(value),
    () => short(value, "UTC"),
  );
  const title = useSyncExternalStore(
    subscribe,
    () => formatDateTime(value),
    () => formatDateTime(value, "UTC"),
  );
  return (
    <time dateTime={new Date(value).toISOString()} title={title}>
      {text}
    </time>
  );
}
