import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter } from "./retry";
import { SseParser, type SseMessage } from "./sse";

function parse(chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const messages: SseMessage[] = [];
  const parser = new SseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, parser };
}

describe("SseParser", () => {
  it("dispatches a message at the blank line, with its event name and id", () => {
    const { messages } = parse(['event: directives\nid: 7\ndata: {"halt":false}\n\n']);
    expect(messages).toEqual([{ event: "directives", data: '{"halt":false}', lastEventId: "7" }]);
  });

  it("joins data lines, ignores comments and unknown fields, and names unnamed events 'message'", () => {
    const { messages } = parse([": keep-alive\n", "data: one\nfoo: bar\ndata:two\n\n"]);
    expect(messages).toEqual([{ event: "message", data: "one\ntwo", lastEventId: "" }]);
  });

  it("reassembles lines split across chunks anywhere, CRLF split between its CR and LF included", () => {
    const text = 'event: directives\r\ndata: {"halt":true,"reason":"kill_switch"}\r\n\r\ndata: second\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { messages } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(messages.map((message) => message.data)).toEqual(['{"halt":true,"reason":"kill_switch"}', "second"]);
      expect(messages[0]?.event).toBe("directives");
      expect(messages[1]?.event).toBe("message");
    }
  });

  it("accepts bare CR line endings and reads retry:", () => {
    const { messages, parser } = parse(["retry: 1500\rdata: x\r\r"]);
    expect(messages.map((message) => message.data)).toEqual(["x"]);
    expect(parser.retryMs).toBe(1500);
  });

  it("does not dispatch an event with no data, nor a half-received one", () => {
    const { messages } = parse(["event: ping\n\n", "data: incomplete\n"]);
    expect(messages).toEqual([]);
  });
});

describe("retry timing", () => {
  it("draws full jitter between 0 and the capped exponential", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, options, () => 0.999)).toBe(99);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(10, options, () => 0.999)).toBe(999);
    expect(backoffDelay(10, options, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(parseRetryAfter("Wed, 25 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
