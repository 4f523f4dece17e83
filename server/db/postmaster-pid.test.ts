import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeRelease, parsePostmasterPid, processState, releaseDataFolder } from "./postmaster-pid";

// As PostgreSQL 18 writes it: pid, data folder, start time, port, socket folder, listen address, shared memory key, status.
const PIDFILE = "11945\n/tmp/emb-exp1/pg\n1796425738\n38017\n/tmp\n127.0.0.1\n  2162872        39\nready   \n";

describe("parsePostmasterPid", () => {
  it("reads the pid, the data folder and the port", () => {
    expect(parsePostmasterPid(PIDFILE)).toEqual({ pid: 11945, dataDir: "/tmp/emb-exp1/pg", port: 38017 });
  });

  it("refuses a file without a pid", () => {
    expect(parsePostmasterPid("")).toBeNull();
    expect(parsePostmasterPid("not a pid\n")).toBeNull();
    expect(parsePostmasterPid("-3\n")).toBeNull();
  });
});

describe("releaseDataFolder", () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), "agentry-pidfile-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("leaves a folder without a lock alone", async () => {
    expect(await releaseDataFolder(folder())).toEqual({ state: "free" });
  });

  it("leaves a lock naming a process that is gone to PostgreSQL, which replaces it", async () => {
    const dir = folder();
    const child = spawn("true");
    await new Promise((done) => child.on("exit", done));
    writeFileSync(join(dir, "postmaster.pid"), PIDFILE.replace("11945", String(child.pid)));
    expect(processState(child.pid ?? 0)).toBe("gone");
    const release = await releaseDataFolder(dir);
    expect(release).toEqual({ state: "stale", pid: child.pid, removed: false });
    expect(readFileSync(join(dir, "postmaster.pid"), "utf8")).toContain(String(child.pid));
  });

  it("removes a lock whose pid now belongs to another program, and does not stop that program", async () => {
    const dir = folder();
    const other = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(dir, "postmaster.pid"), PIDFILE.replace("11945", String(other.pid)));
      const release = await releaseDataFolder(dir);
      expect(release).toEqual({ state: "stale", pid: other.pid, removed: true });
      expect(describeRelease(release, dir)).toContain("not a PostgreSQL server");
      expect(processState(other.pid ?? 0)).toBe("running");
    } finally {
      other.kill("SIGKILL");
    }
  });
});
