import { describe, expect, test } from "vitest";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { conditionReads, mergeReads, type Reads } from "./reads";

function readsOf(text: string): Reads {
  const answer = cedar.policyToJson(text);
  if (answer.type !== "success") throw new Error(answer.errors.map((error) => error.message).join("; "));
  return conditionReads(answer.json.conditions);
}

const describeReads = (reads: Reads) => (reads === "everything" ? "everything" : { values: [...reads.values].sort(), tags: Object.fromEntries([...reads.tags].map(([k, v]) => [k, [...v].sort()])) });

describe("what a statement's conditions read from the context", () => {
  test("a statement without conditions, or reading only the principal and resource, reads nothing of the context", () => {
    expect(describeReads(readsOf('permit (principal, action == Action::"tool", resource);'))).toEqual({ values: [], tags: {} });
    expect(describeReads(readsOf('permit (principal, action == Action::"tool", resource) when { principal.tools.contains(resource) };'))).toEqual({ values: [], tags: {} });
  });

  test("named context values and argument tags are read by name", () => {
    const reads = readsOf(
      '@approval("true") permit (principal, action, resource) when { context.arguments.hasTag("amount") && context.arguments.getTag("amount").greaterThan(decimal("100.0")) && context.dataClasses.contains("PCI") && context.hour < 6 && context.textArguments.hasTag("currency") };',
    );
    expect(describeReads(reads)).toEqual({ values: ["dataClasses", "hour"], tags: { arguments: ["amount"], textArguments: ["currency"] } });
  });

  test("a use of the context it does not recognise reads everything", () => {
    expect(readsOf("permit (principal, action, resource) when { context has hour };")).toBe("everything");
    expect(readsOf("permit (principal, action, resource) when { context.arguments has amount };")).toBe("everything");
    expect(readsOf("permit (principal, action, resource) when { context.arguments.hasTag(principal.name) };")).toBe("everything");
  });

  test("merging unions, and everything wins", () => {
    const a = readsOf("permit (principal, action, resource) when { context.hour > 1 };");
    const b = readsOf('permit (principal, action, resource) when { context.arguments.hasTag("x") };');
    expect(describeReads(mergeReads([a, b]))).toEqual({ values: ["hour"], tags: { arguments: ["x"] } });
    expect(mergeReads([a, "everything"])).toBe("everything");
  });
});
