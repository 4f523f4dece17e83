"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime, formatRelative } from "@/components/ui/format";

// One shared clock for every relative time on the page, ticking twice a minute.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, 30_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** "3 minutes ago", kept current; the exact time in the viewer's zone on hover. */
export function RelativeTime({ value }: { value: Date | string }) {
  const clock = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  const iso = new Date(value).toISOString();
  // The server does not know the viewer's clock or zone: it renders the UTC time until hydration.
  if (clock === null) {
    return (
      <time dateTime={iso} title={iso}>
        {formatDateTime(value, "UTC")}
      </time>
    );
  }
  return (
    <time dateTime={iso} title={formatDateTime(value)}>
      {formatRelative(value, new Date(clock))}
    </time>
  );
}
