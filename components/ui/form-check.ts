// Forms check what they send with the very zod schema their procedure's .input() uses (imported
// from server/domain/<area>/schemas.ts), so the form refuses what the server refuses, in the same
// words; and they read a refused call for display: the message, and per-field messages when the
// server's input validation refused it (the errorFormatter in server/api/trpc.ts adds data.zodError).
import { useState, type FormEvent } from "react";
import type { z } from "zod";

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

/**
 * Validate with the same schema the server uses: the data, or the first message per field. With
 * `under`, the fields are those of that part of the input (an update's `fields`).
 */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, options: { under?: string } = {}): { ok: true; data: z.output<Schema> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: issuesByField(result.error.issues, options.under) };
}

/** The first message per top-level field (or per field of the part `under`); "form" for issues about the whole value. */
export function issuesByField(issues: readonly { path: readonly PropertyKey[]; message: string }[], under?: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = under !== undefined && issue.path[0] === under ? issue.path.slice(1) : issue.path;
    errors[String(path[0] ?? "form")] ??= issue.message;
  }
  return errors;
}

/**
 * A form's values checked against its procedure's input schema as the person types, its errors
 * shown once they have tried to submit; a refusal from the server adds its own per-field errors.
 * `submit(send)` sends the parsed values (trimmed, defaulted) when they pass.
 */
export function useFormCheck<Schema extends z.ZodType>(schema: Schema, values: z.input<Schema>, serverError?: unknown) {
  const [submitted, setSubmitted] = useState(false);
  const parsed = schema.safeParse(values);
  const errors: Partial<Record<string, string>> = { ...serverFieldErrors<string>(serverError), ...(submitted && !parsed.success ? issuesByField(parsed.error.issues) : {}) };
  const submit = (send: (data: z.output<Schema>) => void) => {
    setSubmitted(true);
    if (parsed.success) send(parsed.data);
  };
  return {
    errors,
    formError: formLevelMessage(serverError),
    submit,
    /** Props for the <form>: the browser's own checks off (the schema's apply), and `send` on a valid submit. */
    formProps: (send: (data: z.output<Schema>) => void) => ({
      noValidate: true,
      onSubmit: (event: FormEvent) => {
        event.preventDefault();
        submit(send);
      },
    }),
  };
}

/** The error's message unless it is only a validation failure already shown beside its fields. */
export function formLevelMessage(error: unknown): string | null {
  if (!error) return null;
  if (Object.keys(serverFieldErrors(error)).length > 0) return null;
  if (isRecord(error) && typeof error.message === "string") return error.message;
  return "Something went wrong.";
}
