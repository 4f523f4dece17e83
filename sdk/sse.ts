// A Server-Sent Events parser (the WHATWG "event stream" format) over text chunks, because Node has
// no EventSource. Chunks may split lines anywhere, including between the \r and \n of a CRLF.

export interface SseMessage {
  /** The `event:` field, "message" when absent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream (it persists across messages, as the spec says). */
  lastEventId: string;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private sawData = false;
  private pendingCr = false;
  lastEventId = "";
  /** The reconnection time the server asked for with `retry:`, if any. */
  retryMs: number | undefined;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  /** Feeds decoded text; dispatches every complete message it finishes. */
  push(chunk: string): void {
    let text = chunk;
    // A CR at the end of the previous chunk already ended its line; skip the LF that completes it.
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      this.line(this.buffer.slice(start, i));
      if (c === 0x0d) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** Drops a half-received message (the connection ended mid-message). */
  reset(): void {
    this.buffer = "";
    this.data = [];
    this.event = "";
    this.sawData = false;
    this.pendingCr = false;
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return; // a comment, e.g. a keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.sawData = true;
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\u0000")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.sawData) {
      this.onMessage({ event: this.event || "message", data: this.data.join("\n"), lastEventId: this.lastEventId });
    }
    this.data = [];
    this.event = "";
    this.sawData = false;
  }
}
