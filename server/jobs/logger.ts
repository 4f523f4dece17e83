// graphile-worker's log, as one JSON line per warning or error (its info lines are chatter).
import { Logger } from "graphile-worker";
import { logError, logWarning } from "../runtime/log";

export const quietJobLogger = new Logger(() => (level, message, meta) => {
  if (level !== "error" && level !== "warning") return;
  // Only the names of its fields: graphile-worker's meta can hold a job's payload.
  const fields = meta && typeof meta === "object" ? { meta: Object.keys(meta) } : {};
  (level === "error" ? logError : logWarning)(`job queue: ${message}`, fields);
});
