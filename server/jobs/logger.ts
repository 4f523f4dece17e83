// graphile-worker's log, as one JSON line per warning or error (its info lines are chatter).
import { Logger } from "graphile-worker";

export const quietJobLogger = new Logger(() => (level, message, meta) => {
  if (level !== "error" && level !== "warning") return;
  console.error(JSON.stringify({ level, msg: `job queue: ${message}`, ...(meta && typeof meta === "object" ? { meta: Object.keys(meta) } : {}) }));
});
