// Start-up code runs under plain Node (tsx), outside Next's bundler, where the `server-only`
// marker package throws on import. The demo seed stores its history through the real ingest
// pipeline, whose modules carry that marker; this maps the marker to an empty module for this
// process before they are imported. (Vitest does the same with an alias; Next's bundles resolve
// it to its empty `react-server` build.)
import { register } from "node:module";
import { runningUnderVitest } from "../env";

let registered = false;

export function allowServerModulesOutsideNext(): void {
  if (registered || runningUnderVitest()) return;
  registered = true;
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === "server-only" ? { url: "data:text/javascript,export%20%7B%7D", shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
