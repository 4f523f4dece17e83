"use client";

import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "./cn";

export interface TabItem<Id extends string> {
  id: Id;
  label: string;
}

/**
 * A WAI-ARIA tab list: arrows move between tabs, Home/End jump to the ends, and only the current
 * tab is in the tab order. The caller owns the current tab (often in the URL); `idPrefix` ties
 * each tab to its panel (TabPanel with the same prefix).
 */
export function TabList<Id extends string>({
  tabs,
  current,
  onSelect,
  label,
  idPrefix,
  className,
}: {
  tabs: readonly TabItem<Id>[];
  current: Id;
  onSelect: (id: Id) => void;
  label: string;
  idPrefix: string;
  className?: string;
}) {
  const refs = useRef<Partial<Record<Id, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === current);
    const next =
      event.key === "ArrowRight" ? (index + 1) % tabs.length : event.key === "ArrowLeft" ? (index - 1 + tabs.length) % tabs.length : event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1 : null;
    const tab = next === null ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className={cn("flex gap-1", className)}>
      {tabs.map((tab) => {
        const active = tab.id === current;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              refs.current[tab.id] = element;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${tab.id}`}
            aria-selected={active}
            aria-controls={`${idPrefix}-panel-${tab.id}`}
            tabIndex={active ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            className={cn(
              "-mb-px border-b-2 px-4 py-2.5 text-sm font-medium transition-colors",
              active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800",
            )}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel({ idPrefix, current, children }: { idPrefix: string; current: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`${idPrefix}-panel-${current}`} aria-labelledby={`${idPrefix}-tab-${current}`} tabIndex={0} className="focus-visible:outline-none">
      {children}
    </div>
  );
}
