import { describe, expect, it } from "vitest";
import { z } from "zod";
import { changePasswordInput } from "./password-change";

function fieldErrors(input: unknown) {
  const result = changePasswordInput.safeParse(input);
  return result.success ? null : z.flattenError(result.error).fieldErrors;
}

describe("changePasswordInput", () => {
  it("accepts a new password of twelve characters that differs from the current one", () => {
    expect(fieldErrors({ currentPassword: "old-password", newPassword: "twelve-chars" })).toBeNull();
  });

  it("refuses a new password shorter than twelve characters, on the new-password field", () => {
    expect(fieldErrors({ currentPassword: "old-password", newPassword: "eleven-char" })?.newPassword).toEqual(["Use at least 12 characters"]);
  });

  it("refuses a new password equal to the current one", () => {
    expect(fieldErrors({ currentPassword: "same-password-1", newPassword: "same-password-1" })?.newPassword).toEqual(["Choose a password different from your current one"]);
  });

  it("requires the current password", () => {
    expect(fieldErrors({ currentPassword: "", newPassword: "a-long-new-password" })?.currentPassword).toEqual(["Enter your current password"]);
  });

  it("refuses absurdly long passwords", () => {
    expect(fieldErrors({ currentPassword: "old-password", newPassword: "x".repeat(257) })?.newPassword).toBeDefined();
  });
});
