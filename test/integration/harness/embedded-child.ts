// A process that starts the embedded PostgreSQL on a data folder (as `npm start` does) and then
// just runs: killed with SIGKILL, it leaves that server orphaned, as a crashed app does.
// Usage: node --import tsx test/integration/harness/embedded-child.ts <folder> <password>
import { startEmbeddedPostgres } from "../../../server/db/embedded";

const [dir, password] = process.argv.slice(2);
if (!dir || !password) {
  console.error("usage: embedded-child.ts <folder> <password>");
  process.exit(2);
}
const database = await startEmbeddedPostgres({ dir, password, supervise: { onGiveUp: () => process.exit(1) } });
console.log(`READY ${JSON.stringify({ url: database.url, pid: database.pid() })}`);
setInterval(() => {}, 60_000);
