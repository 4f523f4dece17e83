import { redirect } from "next/navigation";
import { getDb } from "@/server/db";
import { requireUserId } from "@/server/auth/session";

/** The console's front door: your organisation, or the page that says you have none. */
export default async function Home() {
  const userId = await requireUserId();
  const membership = await getDb().membership.findFirst({
    where: { userId },
    include: { org: { select: { slug: true } } },
    orderBy: { createdAt: "asc" },
  });
  redirect(membership ? `/${membership.org.slug}` : "/no-access");
}
