"use client";

import { formatDateTime, formatRelative } from "@/components/ui/format";
import { useNow } from "@/components/ui/use-now";

/** "3 minutes ago", kept current; the exact time in the viewer's zone on hover. */
export function RelativeTime({ value }: { value: Date | string }) {
  const clock = useNow(30_000);
  const iso = new Date(value).toISOString();
  // The server does not know the viewer's clock or zone: it renders the UTC time until hydration.
  if (clock === null) {
    return (
      <time dateTime={iso} title={iso}>
        {formatDateTime(value, "UTC")}
      </time>
    );
  }
  return (
    <time dateTime={iso} title={formatDateTime(value)}>
      {formatRelative(value, clock)}
    </time>
  );
}
