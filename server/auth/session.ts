// For server components and route handlers: who is signed in, and their membership.
import "server-only";
import { redirect } from "next/navigation";
import { getDb } from "../db";
import { auth } from ".";
import { loadMembership, type Membership } from "./access";

export async function currentUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}

export async function requireUserId(): Promise<string> {
  const userId = await currentUserId();
  if (!userId) redirect("/signin");
  // A session whose user was deleted is no session.
  const exists = await getDb().user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!exists) redirect("/signin");
  return userId;
}

export async function membershipBySlug(userId: string, slug: string): Promise<Membership | null> {
  return loadMembership(getDb(), userId, { slug });
}
