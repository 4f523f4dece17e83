"use client";

import { useSyncExternalStore } from "react";

// One shared one-second clock for the countdowns on the page (null while server-rendering: the
// server does not know the viewer's clock).
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): Date | null {
  const clock = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  return clock === null ? null : new Date(clock);
}
