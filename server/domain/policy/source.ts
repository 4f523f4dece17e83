// Cedar reports problems as UTF-8 byte offsets into the text it was given; people read lines and
// columns. Pure.

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based, in characters (UTF-16 code units, as an editor counts them). */
  column: number;
}

/** The line and column of a UTF-8 byte offset in `text`. Offsets past the end land on the end. */
export function positionOfByteOffset(text: string, byteOffset: number): SourcePosition {
  let bytes = 0;
  let line = 1;
  let column = 1;
  for (const char of text) {
    if (bytes >= byteOffset) break;
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (char === "\n") {
      line += 1;
      column = 1;
    } else {
      column += char.length;
    }
  }
  return { line, column };
}

/** "Line 2, column 9: …", one per problem, for a refusal message. */
export function describeProblems(problems: readonly (SourcePosition & { message: string })[], max = 5): string {
  const shown = problems.slice(0, max).map((problem) => `Line ${problem.line}, column ${problem.column}: ${problem.message}`);
  if (problems.length > max) shown.push(`… and ${problems.length - max} more`);
  return shown.join("\n");
}
