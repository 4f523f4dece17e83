import type { Metadata } from "next";
import { Suspense } from "react";
import { EventsPage } from "@/components/events/events-page";
import { Spinner } from "@/components/ui/feedback";

export const metadata: Metadata = { title: "Events" };

export default function Page() {
  // The filters and the open event are read from the URL on the client (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense fallback={<Spinner label="Loading events" />}>
      <EventsPage />
    </Suspense>
  );
}
