// The branded org id is a contract the compiler keeps: a plain string (an id read from a request)
// does not type where data functions want an AuthorizedOrgId. The `@ts-expect-error` lines are
// checked by `tsc --noEmit` (npm test): were a plain string accepted, they would be errors.
import { expect, test } from "vitest";
import { orgIdForSystemWork, type AuthorizedOrgId } from "./org-id";

type ListMembers = typeof import("../data/members").listMembers;
type FindAgent = typeof import("../data/agents").findAgent;

test("a plain string is refused where an authorised org id is required; the system's mint is the same id", () => {
  const fromRequest: string = "7b0c6e9e-3f43-4d0a-9d35-4ab0c2b1f1de";
  const requires = (_orgId: AuthorizedOrgId) => _orgId;
  const callers = (listMembers: ListMembers, findAgent: FindAgent) => {
    // @ts-expect-error: an id from a request is a plain string, not an authorised one
    requires(fromRequest);
    // @ts-expect-error: so the data functions the routers call refuse it
    void listMembers(null as never, fromRequest);
    // @ts-expect-error: and this one too
    void findAgent(null as never, fromRequest, "agent");
    void listMembers(null as never, orgIdForSystemWork(fromRequest));
  };
  expect(typeof callers).toBe("function");
  expect(requires(orgIdForSystemWork(fromRequest))).toBe(fromRequest);
});
