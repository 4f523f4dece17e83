"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Permission, Role } from "@/server/domain/access/permissions";

export interface OrgContextValue {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
  permissions: Permission[];
  teamIds: string[];
  user: { id: string; email: string; name: string };
}

const OrgContext = createContext<OrgContextValue | null>(null);

export function OrgProvider({ value, children }: { value: OrgContextValue; children: ReactNode }) {
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg() outside an org page");
  return value;
}

/** Whether the viewer's role grants `permission` (the server checks again on every call). */
export function useCan(permission: Permission): boolean {
  return useOrg().permissions.includes(permission);
}
