"use client";

import { useSyncExternalStore } from "react";

// Shared clocks: one timer per tick length for the whole page, however many components read it.
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | null;
  subscribe: (listener: () => void) => () => void;
}

const clocks = new Map<number, Clock>();

function clockOf(tickMs: number): Clock {
  const existing = clocks.get(tickMs);
  if (existing) return existing;
  const created: Clock = {
    now: Date.now(),
    listeners: new Set(),
    timer: null,
    subscribe: (listener) => {
      created.listeners.add(listener);
      if (!created.timer) created.now = Date.now();
      created.timer ??= setInterval(() => {
        created.now = Date.now();
        for (const notify of created.listeners) notify();
      }, tickMs);
      return () => {
        created.listeners.delete(listener);
        if (created.listeners.size === 0 && created.timer) {
          clearInterval(created.timer);
          created.timer = null;
        }
      };
    },
  };
  clocks.set(tickMs, created);
  return created;
}

/** The current time, updated every `tickMs`; null while server-rendering (the server does not know the viewer's clock). */
export function useNow(tickMs = 1000): Date | null {
  const clock = clockOf(tickMs);
  const value = useSyncExternalStore(
    clock.subscribe,
    () => clock.now,
    () => null,
  );
  return value === null ? null : new Date(value);
}
