import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AgentPage } from "@/components/agents/agent-page";
import { Spinner } from "@/components/ui/feedback";
import { membershipBySlug, requireUserId } from "@/server/auth/session";
import { findAgent } from "@/server/data/agents";
import { getDb } from "@/server/db";

export const metadata: Metadata = { title: "Agent" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function Page({ params }: { params: Promise<{ org: string; agentId: string }> }) {
  const { org: slug, agentId } = await params;
  if (!UUID.test(agentId)) notFound();
  const membership = await membershipBySlug(await requireUserId(), slug);
  // An agent id from another org is no agent here. (Team scope is the API's to enforce: the page says so.)
  if (!membership || !(await findAgent(getDb(), membership.orgId, agentId))) notFound();
  return (
    <Suspense fallback={<Spinner label="Loading the agent" />}>
      <AgentPage agentId={agentId} />
    </Suspense>
  );
}
