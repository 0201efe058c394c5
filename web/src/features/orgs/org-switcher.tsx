// The organisation switcher: the current organisation and role, every other one the user belongs
// to (POST /api/auth/switch-org), and "Create organization".
import * as React from 'react';
import { Check, ChevronsUpDown, Loader2, Plus } from 'lucide-react';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Skeleton } from '@/components/ui/skeleton';
import { CreateOrganizationDialog } from '@/features/orgs/create-organization-dialog';
import { useOrganizations, useSwitchOrganization } from '@/features/orgs/queries';
import { ROLE_LABELS } from '@/features/permissions/roles';
import type { Session } from '@/lib/api';
import { useConfirmLeave } from '@/lib/use-unsaved-changes-guard';
import { cn } from '@/lib/utils';

export function OrgMark({ name, className }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        'flex size-8 shrink-0 items-center justify-center rounded-md bg-zinc-900 text-sm font-semibold text-white',
        className,
      )}
    >
      {name.trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}

export function OrgSwitcher({ session, compact = false }: { session: Session; compact?: boolean }) {
  const [menuOpen, setMenuOpen] = React.useState(false);
  const [creating, setCreating] = React.useState(false);
  const organizations = useOrganizations();
  const switchOrg = useSwitchOrganization();
  // Unsaved edits belong to the organisation being left: ask before they go.
  const confirmLeave = useConfirmLeave();
  const current = session.organization;
  const currentName = current?.name ?? 'No organization';

  return (
    <>
      <DropdownMenu open={menuOpen} onOpenChange={setMenuOpen}>
        <DropdownMenuTrigger
          aria-label={`Organization: ${currentName}. Switch organization`}
          className={cn(
            'flex min-w-0 items-center gap-3 rounded-lg text-left outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring',
            compact
              ? 'max-w-[14rem] px-1.5 py-1 hover:bg-accent'
              : 'mx-3 border bg-background px-3 py-2 shadow-sm hover:bg-zinc-50',
          )}
        >
          <OrgMark name={current?.name ?? '+'} className={compact ? 'size-7' : undefined} />
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium" title={currentName}>
              {currentName}
            </span>
            {compact ? null : (
              <span className="block text-xs text-muted-foreground">
                {session.role ? ROLE_LABELS[session.role] : 'Create or join one'}
              </span>
            )}
          </span>
          {switchOrg.isPending ? (
            <Loader2 className="size-4 shrink-0 animate-spin text-muted-foreground" />
          ) : (
            <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" />
          )}
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-72">
          <DropdownMenuLabel className="text-xs font-medium text-muted-foreground">
            Organizations
          </DropdownMenuLabel>
          {organizations.isPending ? (
            <div className="space-y-1.5 px-2 py-1.5" aria-busy="true" aria-label="Loading organizations">
              <Skeleton className="h-7 w-full" />
              <Skeleton className="h-7 w-full" />
            </div>
          ) : organizations.isError ? (
            <p role="alert" className="px-2 py-1.5 text-sm text-destructive">
              Could not load your organizations.
            </p>
          ) : (
            organizations.data.map((organization) => {
              const isCurrent = organization.id === current?.id;
              return (
                <DropdownMenuItem
                  key={organization.id}
                  disabled={switchOrg.isPending}
                  aria-current={isCurrent ? 'true' : undefined}
                  onSelect={() => {
                    if (!isCurrent) confirmLeave(() => switchOrg.mutateAsync(organization.id));
                  }}
                >
                  <OrgMark name={organization.name} className="size-6 text-xs" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate">{organization.name}</span>
                    <span className="block text-xs text-muted-foreground">
                      {ROLE_LABELS[organization.role] ?? organization.role} · {organization.member_count}{' '}
                      {organization.member_count === 1 ? 'member' : 'members'}
                    </span>
                  </span>
                  {isCurrent ? <Check className="!text-foreground" aria-label="Current" /> : null}
                </DropdownMenuItem>
              );
            })
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus />
            Create organization
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateOrganizationDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
