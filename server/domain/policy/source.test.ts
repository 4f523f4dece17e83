import { expect, test } from "vitest";
import { describeProblems, positionOfByteOffset } from "./source";

test("byte offsets become 1-based lines and columns", () => {
  const text = "permit(\n  principal,\n  action";
  expect(positionOfByteOffset(text, 0)).toEqual({ line: 1, column: 1 });
  expect(positionOfByteOffset(text, 10)).toEqual({ line: 2, column: 3 });
  expect(positionOfByteOffset(text, 10_000)).toEqual({ line: 3, column: 9 });
});

test("multi-byte characters before the offset count once", () => {
  // "é" is 2 bytes in UTF-8, "😀" 4 bytes and 2 UTF-16 units.
  expect(positionOfByteOffset("// é\nx", 6)).toEqual({ line: 2, column: 1 });
  expect(positionOfByteOffset("é😀x", 6)).toEqual({ line: 1, column: 4 });
});

test("problems are described one per line, capped", () => {
  const problems = Array.from({ length: 7 }, (_, index) => ({ line: index + 1, column: 2, message: `bad ${index}` }));
  expect(describeProblems(problems).split("\n")).toEqual(["Line 1, column 2: bad 0", "Line 2, column 2: bad 1", "Line 3, column 2: bad 2", "Line 4, column 2: bad 3", "Line 5, column 2: bad 4", "… and 2 more"]);
});
