import type { Metadata } from "next";
import { Suspense } from "react";
import { AgentsPage } from "@/components/agents/agents-page";
import { Spinner } from "@/components/ui/feedback";

export const metadata: Metadata = { title: "Agents" };

export default function Page() {
  // The search and filters are read from the URL on the client (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Spinner label="Loading the agent registry" />}>
      <AgentsPage />
    </Suspense>
  );
}
