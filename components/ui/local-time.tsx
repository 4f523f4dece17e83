"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "./format";

const subscribe = () => () => {};

/**
 * A time in the viewer's own time zone. The server does not know that zone, so the server
 * render shows UTC and the browser replaces it after hydration.
 */
export function LocalTime({ value }: { value: Date | string }) {
  const zoned = useSyncExternalStore(
    subscribe,
    () => formatDateTime(value),
    () => formatDateTime(value, "UTC"),
  );
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {zoned}
    </time>
  );
}
