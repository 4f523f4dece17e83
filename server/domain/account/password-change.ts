// The rules for a new password, shared by the "Change password" form and the account router so
// the browser and the server refuse the same things with the same words.
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 12;
/** scrypt hashes any length, but an unbounded input is free CPU for an attacker. */
export const MAX_PASSWORD_LENGTH = 256;

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(MAX_PASSWORD_LENGTH),
    newPassword: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    message: "Choose a password different from your current one",
    path: ["newPassword"],
  });

export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
