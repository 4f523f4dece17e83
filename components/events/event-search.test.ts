import { describe, expect, test } from "vitest";
import { EMPTY_EVENT_SEARCH, fromLocalInput, rangeError, readEventSearch, splitRedactions, toEventListInput, toLocalInput, writeEventSearch } from "./event-search";

const AGENT = "0b8f0e57-6f5b-4c39-9d0e-2f7d8f1b6a11";

describe("event filters in the URL", () => {
  test("round-trip, keeping the page's other parameters and closing the open event", () => {
    const search = { agentId: AGENT, type: "llm_call" as const, model: "gpt-5-mini", taskId: "t-1", from: "2026-11-20T09:00:00.000Z", to: "2026-11-21T09:00:00.000Z" };
    const query = writeEventSearch("tab=events&event=42", search);
    const params = new URLSearchParams(query);
    expect(params.get("tab")).toBe("events");
    expect(params.get("event")).toBeNull();
    expect(readEventSearch(params)).toEqual(search);
  });

  test("clearing a filter removes it from the link", () => {
    expect(writeEventSearch("type=error&model=x", { ...EMPTY_EVENT_SEARCH, model: "x" })).toBe("model=x");
  });

  test("drops values a hand-edited link could not have meant", () => {
    expect(readEventSearch(new URLSearchParams("agentId=bot&type=everything&from=yesterday&to=2026-13-45T00:00"))).toEqual(EMPTY_EVENT_SEARCH);
  });

  test("an end that is not after the start is an error", () => {
    expect(rangeError({ from: "2026-11-21T00:00:00Z", to: "2026-11-20T00:00:00Z" })).toMatch(/not after/);
    expect(rangeError({ from: "2026-11-20T00:00:00Z", to: "" })).toBeNull();
  });

  test("list input carries dates as instants", () => {
    expect(toEventListInput({ ...EMPTY_EVENT_SEARCH, from: "2026-11-20T09:00:00.000Z" })).toEqual({ from: new Date("2026-11-20T09:00:00.000Z") });
  });

  test("datetime-local values are the viewer's wall clock, and round-trip to the minute", () => {
    const iso = fromLocalInput("2026-03-29T02:30");
    // Whatever the zone, reading it back shows a valid wall-clock minute; in zones without a gap it is the same one.
    expect(toLocalInput(iso)).toMatch(/^2026-03-29T0[23]:30$/);
    expect(fromLocalInput("not a date")).toBe("");
    expect(toLocalInput("")).toBe("");
  });
});

describe("redaction placeholders in stored text", () => {
  test("are marked, and the text around them kept", () => {
    expect(splitRedactions('{"user": "[REDACTED:EMAIL]", "card": "[REDACTED:CARD]"}')).toEqual([
      { text: '{"user": "', redacted: false },
      { text: "[REDACTED:EMAIL]", redacted: true },
      { text: '", "card": "', redacted: false },
      { text: "[REDACTED:CARD]", redacted: true },
      { text: '"}', redacted: false },
    ]);
    expect(splitRedactions("nothing secret")).toEqual([{ text: "nothing secret", redacted: false }]);
    expect(splitRedactions("Bearer [REDACTED:API_KEY]")).toEqual([
      { text: "Bearer ", redacted: false },
      { text: "[REDACTED:API_KEY]", redacted: true },
    ]);
  });
});
