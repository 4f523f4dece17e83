// `npm start`: boot (database, migrations, demo seed), then serve the console and the agent API on
// PORT from this one process: /api/v1/* straight from server/agent-api over node:http, everything
// else through Next. `--dev` serves the console with Next's dev server instead of the build.
import { createServer } from "node:http";
import next from "next";
import { allowServerModulesOutsideNext } from "../server/runtime/server-modules";

// Server modules are loaded in this process's own module graph too (boot, the agent API, the job
// queue), outside Next's bundler: the `server-only` marker must resolve to nothing before any of them
// is imported, so they all come in through import() below.
allowServerModulesOutsideNext();
const [{ boot, startFailureMessage }, { beginShutdown, connectionsClosed }, { checkStartEnv, provideResolvedEnv }] = await Promise.all([
  import("../server/runtime/boot"),
  import("../server/runtime/shutdown"),
  import("../server/env"),
]);

const dev = process.argv.includes("--dev");
const settings = (() => {
  try {
    return checkStartEnv();
  } catch (error) {
    console.error((error as Error).message);
    return process.exit(2);
  }
})();
const port = settings.PORT;
const dataDir = settings.AGENTRY_DATA_DIR;
const publicUrl = `http://localhost:${port}`;
const log = (line: string) => console.log(`[agentry] ${line}`);

const booted = await boot({
  dataDir,
  databaseUrl: settings.DATABASE_URL,
  demo: settings.AGENTRY_DEMO,
  publicUrl,
  log,
  // The embedded PostgreSQL died and could not be restarted: exit non-zero for a process manager.
  onDatabaseLost: (error) => {
    console.error(`[agentry] ${error.message}\n[agentry] Exiting with code 1 so that a process manager can restart Agentry.`);
    process.exit(1);
  },
}).catch((error: unknown) => {
  console.error(`[agentry] ${startFailureMessage(error)}`);
  process.exit(1);
});
provideResolvedEnv({ AGENTRY_PUBLIC_URL: publicUrl });

// The agent API and the job queue run in this process's module graph, Next's pages in its bundles;
// shared state (the pool, LISTEN, caches) lives on globalThis, so both use one of each.
const [{ API_PREFIX, handleAgentApi }, { endDirectiveStreams }, { startJobWorker }, { closeSharedConnections }, { stopListening }] = await Promise.all([
  import("../server/agent-api/server"),
  import("../server/agent-api/directives-stream"),
  import("../server/jobs/worker"),
  import("../server/db/pool"),
  import("../server/db/notify"),
]);

const app = next({ dev, dir: process.cwd(), port });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((request, response) => {
  const url = request.url ?? "/";
  if (url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`)) void handleAgentApi(request, response);
  else void handle(request, response);
});
// Agents keep connections open between calls; a little longer than common load balancers' idle timeout.
server.keepAliveTimeout = 65_000;
await startJobWorker();

const SHUTDOWN_GRACE_MS = 10_000;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  beginShutdown();
  log(`${signal}: shutting down`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  endDirectiveStreams();
  // Requests in flight finish (their decisions and batches commit) before the pool closes: 10 s at most.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  server.closeAllConnections();
  await app.close().catch(() => {});
  await stopListening();
  await closeSharedConnections();
  connectionsClosed();
  await booted.stop().catch(() => {});
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

server.listen(port, () => {
  const lines = ["", `  Agentry is listening on ${publicUrl}`, `  Database: ${booted.embedded ? `embedded PostgreSQL in ${dataDir}/pg` : "DATABASE_URL"}`];
  if (booted.demo) {
    lines.push("", "  Demo logins (also in " + `${dataDir}/demo.json):`);
    for (const user of booted.demo.users) {
      lines.push(`    ${user.email.padEnd(28)} ${user.password.padEnd(20)} ${user.role}${user.teams.length ? ` (${user.teams.join(", ")})` : ""}`);
    }
  }
  console.log(`${lines.join("\n")}\n`);
});
