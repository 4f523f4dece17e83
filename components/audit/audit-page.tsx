"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { useCan, useOrg } from "@/components/shell/org-context";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/feedback";
import { ROLE_LABELS } from "@/server/domain/access/permissions";
import { AuditEntries } from "./audit-entries";
import { AuditFilters } from "./audit-filters";
import { ChainStatus } from "./chain-status";
import { EMPTY_AUDIT_SEARCH, exportHref, readAuditSearch, writeAuditSearch, type AuditSearch } from "./filters";

export function AuditPage() {
  const org = useOrg();
  const canRead = useCan("audit:read");

  if (!canRead) {
    return (
      <>
        <PageHeader title="Audit" description="The organisation's hash-chained, append-only record of every change." />
        <Alert tone="warn" title={`Your role (${ROLE_LABELS[org.role]}) cannot read the audit log`}>
          Owners, admins and compliance officers read and export the whole audit trail; team leads read their own teams&apos;. Ask an admin if you need access.
        </Alert>
      </>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const org = useOrg();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = params.toString();
  const search = useMemo(() => readAuditSearch(new URLSearchParams(query)), [query]);
  const teamScoped = org.role === "team_lead";

  const apply = useCallback(
    (next: AuditSearch) => {
      const nextQuery = writeAuditSearch(next);
      router.push(nextQuery ? `${pathname}?${nextQuery}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const exportDescription = teamScoped ? "Your export holds only your teams' entries: verify it with npm run audit:verify -- --partial <file>." : "Verify the file offline with npm run audit:verify -- <file>.";

  return (
    <>
      <PageHeader
        title="Audit"
        description={
          <>
            Every change made in the console and every agent decision that was not a plain allow, in an append-only chain: each entry&apos;s hash covers the one before it, so an altered or missing entry shows.
            {teamScoped ? " You see your teams' entries." : ""}
          </>
        }
        actions={
          <a
            href={exportHref(org.orgId, search)}
            download
            className={buttonClass("secondary")}
            title={`${search.from || search.to ? "The selected date range as" : "The whole trail as"} NDJSON. ${exportDescription}`}
          >
            Export NDJSON
          </a>
        }
      />
      <ChainStatus />
      {/* Keyed on the URL so Back/Forward and shared links reset the form to what the URL says. */}
      <AuditFilters key={query} value={search} onApply={apply} />
      <AuditEntries search={search} onClear={() => apply(EMPTY_AUDIT_SEARCH)} />
    </>
  );
}
