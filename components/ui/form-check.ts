// Reading a failed tRPC call for display: the message, and per-field messages when the server's
// input validation refused it (the errorFormatter in server/api/trpc.ts adds data.zodError).
import { z } from "zod";

export type FieldErrors<Key extends string> = Partial<Record<Key, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The first message per field from a zod result or a tRPC error; empty when there are none. */
export function serverFieldErrors<Key extends string>(error: unknown): FieldErrors<Key> {
  if (!isRecord(error) || !isRecord(error.data) || !isRecord(error.data.zodError)) return {};
  const fieldErrors = error.data.zodError.fieldErrors;
  if (!isRecord(fieldErrors)) return {};
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) {
    if (Array.isArray(messages) && typeof messages[0] === "string") out[key] = messages[0];
  }
  return out as FieldErrors<Key>;
}

/** Validate with the same schema the server uses; the first message per field, or null if valid. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): { ok: true; data: z.output<Schema> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The error's message unless it is only a validation failure already shown beside its fields. */
export function formLevelMessage(error: unknown): string | null {
  if (!error) return null;
  if (Object.keys(serverFieldErrors(error)).length > 0) return null;
  if (isRecord(error) && typeof error.message === "string") return error.message;
  return "Something went wrong.";
}
