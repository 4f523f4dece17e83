"use client";

import { useState, type KeyboardEvent } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A list of short labels typed one by one: Enter or a comma adds what was typed (a pasted
 * "a, b, c" adds three), Backspace in the empty box removes the last, each chip has its own
 * remove button. Text still in the box when it loses focus is added too, so nothing typed is lost.
 */
export function ChipsInput({
  id,
  values,
  onChange,
  itemLabel,
  placeholder,
  maxItems = 200,
  maxLength = 100,
  invalid,
  describedBy,
}: {
  id: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** What one chip is, for the remove buttons: "tool", "tag". */
  itemLabel: string;
  placeholder?: string;
  maxItems?: number;
  maxLength?: number;
  invalid?: boolean;
  describedBy?: string;
}) {
  const [draft, setDraft] = useState("");

  const add = (text: string) => {
    const items = text
      .split(",")
      .map((item) => item.trim().slice(0, maxLength))
      .filter(Boolean);
    if (items.length === 0) return;
    onChange([...new Set([...values, ...items])].slice(0, maxItems));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add(draft);
      setDraft("");
    } else if (event.key === "Backspace" && draft === "" && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  return (
    <div
      className={cn(
        "flex min-h-9 flex-wrap items-center gap-1.5 rounded-md bg-white px-2 py-1.5 shadow-sm ring-1 ring-slate-300 ring-inset focus-within:ring-2 focus-within:ring-brand-500",
        invalid && "ring-red-500",
      )}
    >
      {values.map((value) => (
        <span key={value} className="inline-flex items-center gap-1 rounded bg-slate-100 py-0.5 pr-1 pl-2 text-xs font-medium text-slate-700 ring-1 ring-slate-200">
          {value}
          <button
            type="button"
            aria-label={`Remove ${itemLabel} ${value}`}
            onClick={() => onChange(values.filter((item) => item !== value))}
            className="grid h-4 w-4 place-items-center rounded text-slate-400 hover:bg-slate-200 hover:text-slate-700"
          >
            <span aria-hidden>×</span>
          </button>
        </span>
      ))}
      <input
        id={id}
        value={draft}
        maxLength={maxLength * 4}
        placeholder={values.length === 0 ? placeholder : undefined}
        onChange={(event) => {
          const text = event.target.value;
          // A paste with commas becomes chips at once; the text after the last comma stays typed.
          if (text.includes(",")) {
            const cut = text.lastIndexOf(",");
            add(text.slice(0, cut));
            setDraft(text.slice(cut + 1).trimStart());
          } else {
            setDraft(text);
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          add(draft);
          setDraft("");
        }}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className="min-w-32 flex-1 border-0 bg-transparent p-0.5 text-sm text-slate-900 placeholder:text-slate-400 focus:ring-0 focus:outline-none"
      />
    </div>
  );
}
