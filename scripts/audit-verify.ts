// `npm run audit:verify -- [--partial] <export.ndjson>`: verifies an audit export offline.
// Reads the file a line at a time (exports can be large) and needs no database: the rules are
// in server/domain/audit/verify-export.ts.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { AUDIT_VERIFY_USAGE, ExportVerifier, formatExportVerification, parseAuditVerifyArgs } from "../server/domain/audit/verify-export";

async function main(): Promise<number> {
  const args = parseAuditVerifyArgs(process.argv.slice(2));
  if (args.kind === "help") {
    console.log(AUDIT_VERIFY_USAGE);
    return 0;
  }
  if (args.kind === "usage_error") {
    console.error(`audit:verify: ${args.message}\n\n${AUDIT_VERIFY_USAGE}`);
    return 2;
  }

  // "-" reads the export from standard input.
  const fromStdin = args.file === "-";
  if (!fromStdin) {
    try {
      if (!(await stat(args.file)).isFile()) throw new Error("not a regular file");
    } catch (error) {
      console.error(`audit:verify: cannot read ${args.file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }
  const file = fromStdin ? null : createReadStream(args.file, { encoding: "utf8" });
  const input = file ?? process.stdin;

  const verifier = new ExportVerifier({ partial: args.partial });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    // The first broken entry is the answer; nothing after it can be vouched for.
    if (verifier.push(line, lineNumber)) break;
  }
  lines.close();
  file?.destroy();

  const { lines: output, exitCode } = formatExportVerification(verifier.finish());
  for (const line of output) console.log(line);
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`audit:verify: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
