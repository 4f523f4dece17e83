import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeError, diagnoseStartFailure, lastComplaint, lastFatal, LogRing } from "./postgres-log";

const context = { port: 5433, dir: "/srv/agentry/.data/pg" };
// PostgreSQL's own lines, as the embedded server wrote them on this machine.
const line = (level: string, text: string) => `2026-12-04 23:11:17.285 UTC [15780] ${level}:  ${text}`;

describe("LogRing", () => {
  it("keeps whole lines across chunks that split them, and only the last `capacity`", () => {
    const ring = new LogRing(3);
    ring.push("one\ntw");
    ring.push("o\nthree\n");
    ring.push("four\nfi");
    expect(ring.tail(10)).toEqual(["two", "three", "four", "fi"]);
    expect(ring.tail(2)).toEqual(["four", "fi"]);
  });

  it("since(mark) returns the lines of one attempt only", () => {
    const ring = new LogRing(50);
    ring.push("before\n");
    const mark = ring.mark();
    ring.push("during 1\nduring 2\n");
    expect(ring.since(mark)).toEqual(["during 1", "during 2"]);
    expect(ring.since(ring.mark())).toEqual([]);
  });

  it("never holds more than its capacity, whatever is pushed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 60 }), (capacity, chunks) => {
        const ring = new LogRing(capacity);
        for (const chunk of chunks) ring.push(chunk);
        // The unfinished line comes on top of the complete ones.
        expect(ring.tail(1000).length).toBeLessThanOrEqual(capacity + 1);
      }),
    );
  });
});

describe("diagnoseStartFailure", () => {
  it("names a taken port, with PostgreSQL's generic last line after it", () => {
    const diagnosis = diagnoseStartFailure(
      [
        line("LOG", 'could not bind IPv4 address "127.0.0.1": Address already in use'),
        line("HINT", "Is another postmaster already running on port 5433? If not, wait a few seconds and retry."),
        line("FATAL", "could not create any TCP/IP sockets"),
      ],
      context,
    );
    expect(diagnosis?.cause).toBe("port 5433 is already in use");
    expect(diagnosis?.hint).toContain("127.0.0.1:5433");
  });

  it("names the pid that holds the data folder", () => {
    const diagnosis = diagnoseStartFailure(
      [line("FATAL", 'lock file "postmaster.pid" already exists'), line("HINT", 'Is another postmaster (PID 4242) running in data directory "/srv/agentry/.data/pg"?')],
      context,
    );
    expect(diagnosis).toMatchObject({ cause: "the data folder is locked by PostgreSQL pid 4242", transient: true });
    expect(diagnosis?.hint).toContain("kill -INT 4242");
  });

  it("tells permissions, ownership and a full disk apart", () => {
    expect(diagnoseStartFailure([line("FATAL", `data directory "${context.dir}" has invalid permissions`)], context)?.cause).toBe("the data folder has the wrong permissions");
    expect(diagnoseStartFailure([line("FATAL", `data directory "${context.dir}" has wrong ownership`)], context)?.cause).toBe("the data folder belongs to another user");
    expect(diagnoseStartFailure([line("FATAL", `could not open file "global/pg_control": Permission denied`)], context)?.cause).toBe("permission denied");
    expect(diagnoseStartFailure([line("PANIC", `could not write to file "pg_wal/xlogtemp.123": No space left on device`)], context)).toMatchObject({ cause: "the disk is full", transient: false });
  });

  it("says nothing it does not know", () => {
    expect(diagnoseStartFailure([line("LOG", "starting PostgreSQL 18.4"), line("FATAL", "something new")], context)).toBeNull();
  });
});

describe("lastComplaint and describeError", () => {
  it("prefer PostgreSQL's last FATAL or PANIC line", () => {
    expect(lastComplaint([line("FATAL", "first"), line("LOG", "database system is shut down")])).toContain("FATAL:  first");
    expect(lastComplaint(["only a log line"])).toBe("only a log line");
    expect(lastComplaint([])).toBeNull();
  });

  it("never answers 'undefined'", () => {
    expect(describeError(undefined)).toBe("no reason given");
    expect(describeError(null)).toBe("no reason given");
    expect(describeError(new Error("boom"))).toBe("boom");
    expect(describeError({ code: 1 })).toBe('{"code":1}');
  });
});

describe("lastFatal", () => {
  it("finds only FATAL and PANIC lines", () => {
    expect(lastFatal([line("PANIC", "could not write to file: No space left on device"), line("LOG", "shutting down")])).toContain("PANIC:  could not write");
    expect(lastFatal([line("LOG", "checkpoint complete")])).toBeNull();
  });
});
