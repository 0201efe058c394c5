// The "Security" card of the organisation settings: owners require two-factor sign-in of every
// member (only once they use it themselves — the server's reason is shown beside the switch);
// everyone else sees the setting.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, ShieldCheck } from 'lucide-react';
import { Link } from 'react-router-dom';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Switch } from '@/components/ui/switch';
import { useSignedInSession } from '@/features/auth/session';
import { orgKey, orgsKey } from '@/features/orgs/queries';
import { api, isApiError, type OrganizationWithRole, type Session } from '@/lib/api';
import { sessionKey } from '@/lib/query-client';

const SWITCH_ID = 'require-two-factor';

export function OrganizationSecurityCard({
  organization,
  canChange,
}: {
  organization: OrganizationWithRole;
  canChange: boolean;
}) {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const [confirmOn, setConfirmOn] = React.useState(false);
  const required = organization.require_two_factor ?? false;
  const change = useMutation({
    mutationFn: (value: boolean) => api.orgs.update(organization.id, { require_two_factor: value }),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      setConfirmOn(false);
      queryClient.setQueryData(orgKey(updated.id), updated);
      queryClient.setQueryData<Session | null>(sessionKey, (current) =>
        current?.organization && current.organization.id === updated.id
          ? {
              ...current,
              organization: { ...current.organization, require_two_factor: updated.require_two_factor },
            }
          : current,
      );
      queryClient.invalidateQueries({ queryKey: orgsKey });
      toast.success(
        updated.require_two_factor
          ? 'Two-factor sign-in is now required'
          : 'Two-factor sign-in is no longer required',
      );
    },
    onError: () => setConfirmOn(false),
  });
  const refusal = isApiError(change.error, 422)
    ? (change.error.fields.require_two_factor ?? change.error.message)
    : change.error instanceof Error
      ? change.error.message
      : null;
  const ownTwoFactor = session.user.two_factor_enabled ?? false;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <ShieldCheck className="size-4 text-muted-foreground" /> Security
        </CardTitle>
        <CardDescription>
          {canChange
            ? 'Ask every member for a code from an authenticator app at sign-in.'
            : 'Only owners can change how members sign in.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            {canChange ? (
              <label htmlFor={SWITCH_ID} className="text-sm font-medium">
                Require two-factor sign-in for every member
              </label>
            ) : (
              <p className="text-sm font-medium">Require two-factor sign-in for every member</p>
            )}
            <p id={`${SWITCH_ID}-hint`} className="text-[0.8rem] text-muted-foreground">
              Members without it are asked to set it up before they can use {organization.name}. API keys are
              not affected.
            </p>
          </div>
          {canChange ? (
            <div className="flex items-center gap-2">
              {change.isPending ? <Loader2 className="size-4 animate-spin text-muted-foreground" /> : null}
              <Switch
                id={SWITCH_ID}
                checked={required}
                disabled={change.isPending}
                aria-describedby={refusal ? `${SWITCH_ID}-error` : `${SWITCH_ID}-hint`}
                aria-invalid={refusal ? true : undefined}
                onCheckedChange={(value) => {
                  change.reset();
                  if (value) setConfirmOn(true);
                  else change.mutate(false);
                }}
              />
            </div>
          ) : (
            <Badge variant={required ? 'green' : 'secondary'}>{required ? 'Required' : 'Not required'}</Badge>
          )}
        </div>
        {refusal ? (
          <p id={`${SWITCH_ID}-error`} role="alert" className="text-[0.8rem] font-medium text-destructive">
            {refusal}{' '}
            {!ownTwoFactor ? (
              <Link to="/settings/profile#two-factor" className="underline underline-offset-2">
                Set up two-factor sign-in
              </Link>
            ) : null}
          </p>
        ) : canChange && !ownTwoFactor && !required ? (
          <p className="text-[0.8rem] text-muted-foreground">
            You need two-factor sign-in on your own account first:{' '}
            <Link to="/settings/profile#two-factor" className="underline underline-offset-2">
              set it up on your profile
            </Link>
            .
          </p>
        ) : null}
      </CardContent>
      <ConfirmDialog
        open={confirmOn}
        onOpenChange={(open) => {
          if (!open) setConfirmOn(false);
        }}
        title="Require two-factor sign-in?"
        description={`Every member of ${organization.name} without two-factor sign-in will have to set it up before they can continue. You can turn this off again later.`}
        confirmLabel="Require it"
        pending={change.isPending}
        onConfirm={() => change.mutate(true)}
      />
    </Card>
  );
}
