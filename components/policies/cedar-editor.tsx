"use client";

import { useRef } from "react";
import { cn } from "@/components/ui/cn";
import { lineCount, problemLines } from "./editor-model";

export interface EditorProblem {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

/** A plain textarea with line numbers; lines with an error are marked in the gutter and listed below. */
export function CedarEditor({
  id,
  value,
  onChange,
  problems,
  readOnly = false,
  label,
}: {
  id: string;
  value: string;
  onChange?: (value: string) => void;
  problems: readonly EditorProblem[];
  readOnly?: boolean;
  label: string;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const errors = problems.filter((problem) => problem.severity === "error");
  const bad = problemLines(errors);
  const lines = Math.max(lineCount(value), 8);
  return (
    <div>
      <div className="flex overflow-hidden rounded-md font-mono text-xs ring-1 ring-inset ring-slate-300 focus-within:ring-2 focus-within:ring-brand-500">
        <div ref={gutter} aria-hidden className="select-none overflow-hidden bg-slate-50 py-2 text-right text-slate-400" style={{ maxHeight: "24rem" }}>
          {Array.from({ length: lines }, (_, index) => (
            <div key={index} className={cn("px-2 leading-5", bad.has(index + 1) && "bg-red-100 font-semibold text-red-700")}>
              {index + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          aria-label={label}
          aria-invalid={errors.length > 0}
          aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          wrap="off"
          rows={lines}
          onChange={(event) => onChange?.(event.target.value)}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
          className={cn("block w-full resize-y border-0 bg-white px-3 py-2 leading-5 text-slate-900 focus:outline-none", readOnly && "bg-slate-50 text-slate-700")}
          style={{ maxHeight: "24rem" }}
        />
      </div>
      {problems.length > 0 ? (
        <ul id={`${id}-problems`} aria-label="Problems" className="mt-2 space-y-1 text-xs">
          {problems.map((problem, index) => (
            <li key={index} className={problem.severity === "error" ? "font-medium text-red-700" : "text-amber-700"}>
              {problem.severity === "error" ? "Error" : "Warning"} on line {problem.line}, column {problem.column}: {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
