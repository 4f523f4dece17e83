"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Dialog } from "@/components/ui/dialog";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { ROLE_LABELS, ROLES } from "@/server/domain/access/permissions";
import { formLevelMessage } from "@/components/ui/form-check";
import { FormError } from "@/components/ui/form";

type Invitation = RouterOutputs["members"]["invitations"][number];

/** Invitations sent and not yet accepted: who, with which access, until when; each can be revoked. */
export function PendingInvitations() {
  const org = useOrg();
  const trpc = useTRPC();
  const invitations = useQuery(trpc.members.invitations.queryOptions({ orgId: org.orgId }));
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const teamNames = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);

  const columns: Column<Invitation>[] = [
    { key: "email", header: "Invited address", sortValue: (row) => row.email, render: (row) => <span className="font-medium text-slate-900">{row.email}</span> },
    { key: "role", header: "Role", className: "whitespace-nowrap", sortValue: (row) => ROLES.indexOf(row.role), render: (row) => <Badge>{ROLE_LABELS[row.role]}</Badge> },
    {
      key: "teams",
      header: "Teams",
      render: (row) => {
        const names = row.teamIds.map((id) => teamNames.get(id)).filter((name): name is string => name !== undefined);
        return names.length > 0 ? names.sort((a, b) => a.localeCompare(b)).join(", ") : <span className="text-slate-400">Org-wide</span>;
      },
    },
    { key: "invitedBy", header: "Invited by", sortValue: (row) => row.invitedByLabel, render: (row) => row.invitedByLabel },
    { key: "expires", header: "Expires", sortValue: (row) => new Date(row.expiresAt).getTime(), render: (row) => <LocalTime value={row.expiresAt} /> },
    {
      key: "actions",
      header: "Actions",
      className: "w-28 text-right",
      render: (row) => (
        <div className="-my-1 flex justify-end">
          <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Revoke the invitation of ${row.email}`} onClick={() => setRevoking(row)}>
            Revoke
          </Button>
        </div>
      ),
    },
  ];

  return (
    <Card className="mt-6">
      <CardHeader title="Pending invitations" description="Links sent and not yet accepted. A link works once and expires after seven days; revoking it makes it useless at once." />
      <QueryBoundary query={invitations} label="pending invitations" inset>
        {(data) => (
          <DataTable
            rows={data}
            columns={columns}
            rowKey={(row) => row.invitationId}
            caption="Pending invitations"
            initialSort={{ key: "expires", direction: "asc" }}
            empty={<EmptyState title="No pending invitations">Invite someone with “Invite member”: you get a link to send them.</EmptyState>}
          />
        )}
      </QueryBoundary>
      <Dialog open={revoking !== null} onClose={() => setRevoking(null)} title="Revoke invitation" size="sm">
        {revoking ? <RevokeInvitation invitation={revoking} onClose={() => setRevoking(null)} /> : null}
      </Dialog>
    </Card>
  );
}

function RevokeInvitation({ invitation, onClose }: { invitation: Invitation; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey({ orgId: org.orgId }) });
        onClose();
      },
    }),
  );
  const error = formLevelMessage(revoke.error);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        Revoke the invitation of <span className="font-medium text-slate-900">{invitation.email}</span>? Its link stops working at once. You can invite them again later.
      </p>
      <FormError message={error} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ orgId: org.orgId, invitationId: invitation.invitationId })}>
          {revoke.isPending ? "Revoking…" : "Revoke invitation"}
        </Button>
      </div>
    </div>
  );
}
