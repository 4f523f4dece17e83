// A unique index refused a row (PostgreSQL 23505, Prisma P2002): for the console, a name already
// taken, answered as a CONFLICT with a sentence about what clashed.
import { Prisma } from "../generated/prisma/client";
import { Refused } from "../domain/refusal";

export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/** Runs `write`; a unique violation becomes a CONFLICT refusal with `message`, anything else is rethrown. */
export async function refusingDuplicates<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Refused("CONFLICT", message);
    throw error;
  }
}
