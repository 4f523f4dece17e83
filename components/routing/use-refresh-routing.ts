"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/react";

/** After a change to the registry or a rule: what every rule routes to may have changed, so both are read again. */
export function useRefreshRouting(): () => Promise<unknown> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() })]);
}
