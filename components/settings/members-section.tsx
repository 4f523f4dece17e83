"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Badge, EmptyState } from "@/components/ui/feedback";
import { CheckboxGroup, Field, FormButtons, FormError, Input, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { assignableRoles, ROLE_LABELS, ROLES, type Role } from "@/server/domain/access/permissions";
import { Dialog } from "@/components/ui/dialog";
import { formLevelMessage, serverFieldErrors, validate } from "@/components/ui/form-check";
import { invitationInput, memberUpdateInput } from "@/server/domain/invitations/schemas";

type Member = RouterOutputs["members"]["list"][number];
type Team = RouterOutputs["teams"]["list"][number];

const ROLE_TONES: Record<Role, "info" | "neutral" | "good" | "warn"> = {
  owner: "info",
  admin: "info",
  compliance: "good",
  team_lead: "warn",
  viewer: "neutral",
};

const ROLE_HINTS: Record<Role, string> = {
  owner: "Everything, including making and removing other owners.",
  admin: "Everything except changing owners.",
  compliance: "Policies, compliance, approvals and the audit trail, org-wide.",
  team_lead: "Agents, budgets, approvals and kill switches of their teams only.",
  viewer: "Reads dashboards, agents and costs; changes nothing.",
};

/** Only rendered for roles with org:admin: members.list is refused to everyone else. */
export function MembersSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const members = useQuery(trpc.members.list.queryOptions({ orgId: org.orgId }));
  const teams = useQuery(trpc.teams.list.queryOptions({ orgId: org.orgId }));
  const [search, setSearch] = useState("");
  const [roleFilter, setRoleFilter] = useState<Role | "">("");
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const teamNames = useMemo(() => new Map((teams.data ?? []).map((team) => [team.id, team.name])), [teams.data]);
  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (members.data ?? []).filter(
      (member) => (roleFilter === "" || member.role === roleFilter) && (needle === "" || member.email.toLowerCase().includes(needle) || member.name.toLowerCase().includes(needle)),
    );
  }, [members.data, search, roleFilter]);

  const teamsOf = (member: Member) =>
    member.teamIds
      .map((id) => teamNames.get(id))
      .filter((name): name is string => name !== undefined)
      .sort((a, b) => a.localeCompare(b));

  const columns: Column<Member>[] = [
    {
      key: "member",
      header: "Member",
      sortValue: (member) => member.name || member.email,
      render: (member) => (
        <div className="min-w-0">
          <p className="flex items-center gap-2 font-medium text-slate-900">
            {member.name || member.email}
            {member.userId === org.user.id ? <Badge>You</Badge> : null}
          </p>
          <p className="text-xs text-slate-500">{member.email}</p>
        </div>
      ),
    },
    { key: "role", header: "Role", sortValue: (member) => ROLES.indexOf(member.role), render: (member) => <Badge tone={ROLE_TONES[member.role]}>{ROLE_LABELS[member.role]}</Badge> },
    {
      key: "teams",
      header: "Teams",
      sortValue: (member) => teamsOf(member).join(", ") || null,
      render: (member) => {
        const names = teamsOf(member);
        if (names.length > 0) return names.join(", ");
        if (member.role === "team_lead") return <span className="text-amber-700">No teams</span>;
        return <span className="text-slate-400">Org-wide</span>;
      },
    },
    {
      key: "lastSignIn",
      header: "Last sign-in",
      sortValue: (member) => (member.lastSignInAt ? -new Date(member.lastSignInAt).getTime() : null),
      render: (member) => (member.lastSignInAt ? <LocalTime value={member.lastSignInAt} /> : <span className="text-slate-400">Never</span>),
    },
    {
      key: "actions",
      header: "Actions",
      className: "w-40 text-right whitespace-nowrap",
      render: (member) => (
        <div className="-my-1 flex justify-end gap-1">
          <Button variant="ghost" size="sm" aria-label={`Edit ${member.email}`} onClick={() => setEditing(member)}>
            Edit
          </Button>
          <Button variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" aria-label={`Remove ${member.email}`} onClick={() => setRemoving(member)}>
            Remove
          </Button>
        </div>
      ),
    },
  ];

  const total = members.data?.length ?? 0;
  const filtered = search.trim() !== "" || roleFilter !== "";

  return (
    <Card>
      <CardHeader title="Members" description="Who can use the console, and with which role. Changes apply on their next request." actions={<Button onClick={() => setInviting(true)}>Invite member</Button>} />
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 bg-slate-50/60 px-5 py-3">
        <div className="w-full max-w-xs">
          <label htmlFor="member-search" className="sr-only">
            Search members
          </label>
          <Input id="member-search" type="search" placeholder="Search by name or email" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
        <div className="w-44">
          <label htmlFor="member-role-filter" className="sr-only">
            Filter by role
          </label>
          <Select id="member-role-filter" value={roleFilter} onChange={(event) => setRoleFilter(event.target.value as Role | "")}>
            <option value="">All roles</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </Select>
        </div>
        {members.data ? (
          <p className="ml-auto self-center text-sm text-slate-500" aria-live="polite">
            {filtered ? `${visible.length} of ${total} members` : `${total} ${total === 1 ? "member" : "members"}`}
          </p>
        ) : null}
      </div>
      <QueryBoundary query={members} label="members" inset>
        {() => (
          <DataTable
            rows={visible}
            columns={columns}
            rowKey={(member) => member.membershipId}
            caption="Members"
            initialSort={{ key: "member", direction: "asc" }}
            empty={
              filtered ? (
                <EmptyState
                  title="No members match"
                  action={
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => {
                        setSearch("");
                        setRoleFilter("");
                      }}
                    >
                      Clear filters
                    </Button>
                  }
                >
                  Try another name, email or role.
                </EmptyState>
              ) : (
                <EmptyState title="No members yet" />
              )
            }
          />
        )}
      </QueryBoundary>

      <Dialog open={inviting} onClose={() => setInviting(false)} title="Invite member" description="You get a link to send them. They join when they accept it, with their own account and password.">
        <InviteForm teams={teams.data ?? []} onClose={() => setInviting(false)} />
      </Dialog>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title="Edit member" description={editing ? editing.email : undefined}>
        {editing ? <EditMemberForm member={editing} teams={teams.data ?? []} onClose={() => setEditing(null)} /> : null}
      </Dialog>
      <Dialog open={removing !== null} onClose={() => setRemoving(null)} title="Remove member" size="sm">
        {removing ? <RemoveMember member={removing} onClose={() => setRemoving(null)} /> : null}
      </Dialog>
    </Card>
  );
}

function useInvalidateMembers() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ orgId: org.orgId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.list.queryKey({ orgId: org.orgId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.org.get.queryKey({ orgId: org.orgId }) }),
    ]);
}

function RoleAndTeams({
  idPrefix,
  role,
  roleOptions,
  onRole,
  teamIds,
  onTeams,
  teams,
  errors,
}: {
  idPrefix: string;
  role: Role;
  roleOptions: Role[];
  onRole: (role: Role) => void;
  teamIds: string[];
  onTeams: (teamIds: string[]) => void;
  teams: Team[];
  errors: { role?: string; teamIds?: string };
}) {
  const roleId = `${idPrefix}-role`;
  return (
    <>
      <Field label="Role" htmlFor={roleId} hint={ROLE_HINTS[role]} error={errors.role}>
        <Select id={roleId} value={role} onChange={(event) => onRole(event.target.value as Role)} aria-invalid={Boolean(errors.role)} aria-describedby={errors.role ? `${roleId}-error` : undefined}>
          {roleOptions.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABELS[option]}
            </option>
          ))}
        </Select>
      </Field>
      {role === "team_lead" ? (
        <CheckboxGroup
          id={`${idPrefix}-teams`}
          legend="Teams they lead"
          hint={teams.length === 0 ? "There are no teams yet: create one under Teams first." : undefined}
          options={teams.map((team) => ({ value: team.id, label: team.name }))}
          selected={teamIds}
          onChange={onTeams}
          error={errors.teamIds}
        />
      ) : null}
    </>
  );
}

type InviteField = "email" | "role" | "teamIds";

function InviteForm({ teams, onClose }: { teams: Team[]; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roleOptions = assignableRoles(org.role);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [clientErrors, setClientErrors] = useState<Partial<Record<InviteField, string>>>({});
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey({ orgId: org.orgId }) }),
    }),
  );
  const errors = { ...serverFieldErrors<InviteField>(invite.error), ...clientErrors };

  if (invite.data) return <InviteResult result={invite.data} teams={teams} onClose={onClose} />;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(invitationInput, { email, role, teamIds: role === "team_lead" ? teamIds : [] });
    if (!checked.ok) {
      setClientErrors(checked.errors);
      return;
    }
    setClientErrors({});
    invite.mutate({ orgId: org.orgId, ...checked.data });
  }

  const describedBy = (field: InviteField, id: string) => (errors[field] ? `${id}-error` : undefined);

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <Field label="Email" htmlFor="invite-email" error={errors.email}>
        <Input
          id="invite-email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={Boolean(errors.email)}
          aria-describedby={describedBy("email", "invite-email")}
        />
      </Field>
      <RoleAndTeams idPrefix="invite" role={role} roleOptions={roleOptions} onRole={setRole} teamIds={teamIds} onTeams={setTeamIds} teams={teams} errors={errors} />
      <FormError message={formLevelMessage(invite.error)} />
      <FormButtons onCancel={onClose} submitLabel="Create invitation link" pendingLabel="Creating link…" pending={invite.isPending} />
    </form>
  );
}

function InviteResult({ result, teams, onClose }: { result: RouterOutputs["members"]["invite"]; teams: Team[]; onClose: () => void }) {
  const org = useOrg();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  // The link is built from the address the admin is using, so it works behind any proxy.
  const link = `${window.location.origin}/invite/${result.token}`;
  const teamNames = teams.filter((team) => result.teamIds.includes(team.id)).map((team) => team.name);

  return (
    <div className="space-y-4">
      <p role="status" className="text-sm text-slate-700">
        Invitation for <span className="font-medium text-slate-900">{result.email}</span> to join {org.name} as {ROLE_LABELS[result.role]}
        {teamNames.length > 0 ? ` (${teamNames.join(", ")})` : ""}.
      </p>
      <div className="rounded-md bg-amber-50 p-4 ring-1 ring-amber-300 ring-inset">
        <label className="text-sm font-semibold text-amber-900" htmlFor="invitation-link">
          Invitation link
        </label>
        <div className="mt-2 flex items-center gap-2">
          <Input id="invitation-link" readOnly value={link} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          <Button
            variant="secondary"
            aria-label="Copy invitation link"
            onClick={() => {
              navigator.clipboard.writeText(link).then(
                () => setCopied("yes"),
                () => setCopied("failed"),
              );
            }}
          >
            {copied === "yes" ? "Copied" : "Copy"}
          </Button>
        </div>
        <p className="mt-3 text-sm text-amber-900">
          Send this link to {result.email} yourself: Agentry sends no email. It is shown only now, works once, and expires <LocalTime value={result.expiresAt} />. It lets its holder join {org.name} only, with a
          new account for this address or by signing in to the address&apos;s existing one.
        </p>
        {copied === "failed" ? <p className="mt-1 text-sm text-red-700">Could not copy: select the link and copy it by hand.</p> : null}
      </div>
      <div className="flex justify-end">
        <Button onClick={onClose}>Done</Button>
      </div>
    </div>
  );
}

function EditMemberForm({ member, teams, onClose }: { member: Member; teams: Team[]; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const invalidate = useInvalidateMembers();
  const assignable = assignableRoles(org.role);
  // The current role stays selectable (an admin editing an owner sees "Owner"); the server decides.
  const roleOptions = ROLES.filter((role) => assignable.includes(role) || role === member.role);
  const [role, setRole] = useState<Role>(member.role);
  const [teamIds, setTeamIds] = useState<string[]>(member.teamIds);
  const [clientErrors, setClientErrors] = useState<Partial<Record<"role" | "teamIds", string>>>({});
  const update = useMutation(
    trpc.members.update.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        // Your own role shapes the whole console: re-read it.
        if (member.userId === org.user.id) router.refresh();
        onClose();
      },
    }),
  );
  const errors = { ...serverFieldErrors<"role" | "teamIds">(update.error), ...clientErrors };

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = validate(memberUpdateInput, { membershipId: member.membershipId, role, teamIds: role === "team_lead" ? teamIds : [] });
    if (!checked.ok) {
      setClientErrors(checked.errors);
      return;
    }
    setClientErrors({});
    update.mutate({ orgId: org.orgId, ...checked.data });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <RoleAndTeams
        idPrefix="edit"
        role={role}
        roleOptions={roleOptions}
        onRole={(next) => {
          setRole(next);
          if (update.error) update.reset();
        }}
        teamIds={teamIds}
        onTeams={setTeamIds}
        teams={teams}
        errors={errors}
      />
      <FormError message={formLevelMessage(update.error)} />
      <FormButtons onCancel={onClose} submitLabel="Save changes" pendingLabel="Saving…" pending={update.isPending} />
    </form>
  );
}

function RemoveMember({ member, onClose }: { member: Member; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const invalidate = useInvalidateMembers();
  const self = member.userId === org.user.id;
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        // Removing yourself ends your access here: leave for the front door.
        if (self) {
          router.push("/");
          router.refresh();
          return;
        }
        await invalidate();
        onClose();
      },
    }),
  );

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {self ? (
          <>Remove yourself from {org.name}? You will lose access to this organisation immediately.</>
        ) : (
          <>
            Remove <span className="font-medium text-slate-900">{member.email}</span> from {org.name}? They lose access on their next request. Their account and the audit trail of what they did are kept.
          </>
        )}
      </p>
      <FormError message={formLevelMessage(remove.error)} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ orgId: org.orgId, membershipId: member.membershipId })}>
          {remove.isPending ? "Removing…" : "Remove member"}
        </Button>
      </div>
    </div>
  );
}
