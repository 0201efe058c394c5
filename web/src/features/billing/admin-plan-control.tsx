// /admin: an organisation's plan as platform admins see it (with Grandfathered), and changing it after a
// confirmation (PUT /api/admin/orgs/{id}/plan). Setting a plan ends grandfathering.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { billingApi } from '@/features/billing/api';
import { usePlans } from '@/features/billing/queries';
import type { AdminOrganization } from '@/lib/api';
import { planName } from '@/lib/plan-limits';

/** The plan's key and name, whichever shape the admin list gives it in. */
export function adminPlan(
  organization: AdminOrganization,
): { key: string; name: string; grandfathered: boolean } | null {
  const { plan } = organization;
  if (!plan) return null;
  if (typeof plan === 'string')
    return { key: plan, name: planName(plan), grandfathered: organization.grandfathered ?? false };
  const grandfathered = plan.grandfathered ?? organization.grandfathered ?? false;
  // The server names a grandfathered organisation's plan "Grandfathered"; the badge says that already.
  const name = grandfathered ? 'Unlimited' : (plan.name ?? planName(plan.key));
  return { key: plan.key, name, grandfathered };
}

export function AdminPlanBadges({ organization }: { organization: AdminOrganization }) {
  const plan = adminPlan(organization);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {plan ? (
        <Badge variant="secondary">{plan.name}</Badge>
      ) : (
        <span className="text-muted-foreground">—</span>
      )}
      {plan?.grandfathered ? <Badge variant="blue">Grandfathered</Badge> : null}
    </span>
  );
}

export function ChangePlanButton({ organization }: { organization: AdminOrganization }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const current = adminPlan(organization);
  const grandfathered = current?.grandfathered ?? false;
  const plans = usePlans(open);
  const options = React.useMemo(() => {
    const list = (plans.data ?? []).map((plan) => ({ key: plan.key, name: plan.name }));
    // "Unlimited" is never sold, but an operator may give it (partners, their own organisation).
    if (!list.some((plan) => plan.key === 'unlimited')) list.push({ key: 'unlimited', name: 'Unlimited' });
    return list;
  }, [plans.data]);
  const [choice, setChoice] = React.useState('');
  const chosen = options.find((option) => option.key === choice);
  const change = useMutation({
    mutationFn: () => billingApi.setOrganizationPlan(organization.id, choice),
    meta: { inlineError: true },
    onSuccess: async () => {
      setOpen(false);
      toast.success(`${organization.name} is on the ${chosen?.name ?? planName(choice)} plan now`, {
        description: 'Its limits apply at once.',
      });
      await queryClient.invalidateQueries({ queryKey: ['admin', 'organizations'] });
      await queryClient.invalidateQueries({ queryKey: ['billing'] });
    },
  });
  const same = choice === current?.key && !grandfathered;

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        aria-label={`Change the plan of ${organization.name}`}
        onClick={() => {
          setChoice(current?.key && current.key !== 'unlimited' ? current.key : 'free');
          change.reset();
          setOpen(true);
        }}
      >
        Change plan
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) change.reset();
        }}
        title={`Change the plan of ${organization.name}?`}
        description={
          <>
            Its limits change at once; nothing is deleted or paused, but creating more is refused while it is
            over them.
            {grandfathered
              ? ' It is grandfathered now (unlimited from before billing): setting a plan ends that.'
              : ''}{' '}
            A Stripe subscription, if it has one, is not changed.
          </>
        }
        confirmLabel="Change plan"
        pending={change.isPending}
        error={change.error}
        confirmDisabled={!choice || same}
        onConfirm={() => change.mutate()}
      >
        <div className="grid gap-1.5">
          <Label htmlFor={`plan-${organization.id}`}>Plan</Label>
          <NativeSelect
            id={`plan-${organization.id}`}
            value={choice}
            disabled={plans.isPending}
            onChange={(event) => setChoice(event.target.value)}
          >
            {options.map((option) => (
              <option key={option.key} value={option.key}>
                {option.name}
                {option.key === current?.key && !grandfathered ? ' (current)' : ''}
              </option>
            ))}
          </NativeSelect>
          {plans.isError ? (
            <p className="text-[0.8rem] text-muted-foreground">
              The plan list did not load; Unlimited is offered alone.
            </p>
          ) : null}
        </div>
      </ConfirmDialog>
    </>
  );
}
