// `npm run lint:imports` (and a step of `npm test`): the import boundaries, checked by
// dependency-cruiser in two passes. The layers (.dependency-cruiser.mjs) count type-only imports;
// what the browser loads (.dependency-cruiser.browser.mjs) counts only the imports a bundler keeps.
// Offline: dependency-cruiser reads the files on disk and nothing else.
import { spawnSync } from "node:child_process";

const depcruise = "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs";
const passes = [
  { name: "layers", args: ["--config", ".dependency-cruiser.mjs", "."] },
  { name: "browser bundle", args: ["--config", ".dependency-cruiser.browser.mjs", "app", "components"] },
];

let failed = false;
for (const pass of passes) {
  console.log(`import boundaries: ${pass.name}`);
  const result = spawnSync(process.execPath, [depcruise, ...pass.args], { stdio: "inherit" });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
