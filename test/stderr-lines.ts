// What the code under test writes to stderr (the app's JSON log lines), caught instead of printed:
// a fresh capture for every test of the file that calls it.
import { afterEach, beforeEach, vi } from "vitest";

export interface StderrCapture {
  /** The chunks written during the current test, in order. */
  lines: () => string[];
  /** Those chunks, each parsed as one JSON line. */
  parsed: () => Record<string, unknown>[];
}

export function captureStderr(): StderrCapture {
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    lines: () => lines,
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
