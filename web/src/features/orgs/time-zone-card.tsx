// The organisation's time zone: the days its analytics count in (ADR 0037). Owners and admins change
// it (PATCH /api/orgs/:id {time_zone}); the others see it.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Globe, Loader2 } from 'lucide-react';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Combobox } from '@/components/ui/combobox';
import { Field, fieldControlProps } from '@/components/ui/field';
import { orgKey } from '@/features/orgs/queries';
import { api, isApiError, type OrganizationWithRole } from '@/lib/api';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

export function TimeZoneCard({
  organization,
  canChange,
}: {
  organization: OrganizationWithRole;
  canChange: boolean;
}) {
  const queryClient = useQueryClient();
  const saved = organization.time_zone ?? 'UTC';
  const [zone, setZone] = React.useState(saved);
  React.useEffect(() => setZone(saved), [saved]);
  const save = useMutation({
    mutationFn: (time_zone: string) => api.orgs.update(organization.id, { time_zone }),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(orgKey(updated.id), updated);
      // The dashboards' days move with it.
      void queryClient.invalidateQueries({ queryKey: ['analytics'] });
      toast.success('Time zone saved');
    },
  });
  const dirty = zone !== saved;
  useUnsavedChangesGuard(canChange && dirty);
  const options = React.useMemo(
    () =>
      (TIME_ZONES.includes(saved) ? TIME_ZONES : [saved, ...TIME_ZONES]).map((value) => ({
        value,
        label: value.replaceAll('_', ' '),
      })),
    [saved],
  );
  const fieldError = isApiError(save.error) ? save.error.fields.time_zone : undefined;

  return (
    <Card>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty) save.mutate(zone);
        }}
      >
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <Globe className="size-4 text-muted-foreground" /> Time zone
          </CardTitle>
          <CardDescription>
            Analytics count days from midnight to midnight here.
            {canChange ? '' : ' Only owners and admins can change it.'}
          </CardDescription>
        </CardHeader>
        <CardContent className="max-w-md">
          <Field id="org-time-zone" label="Organization time zone" error={fieldError}>
            <Combobox
              {...fieldControlProps('org-time-zone', fieldError)}
              value={zone}
              onValueChange={setZone}
              options={options}
              disabled={!canChange}
              placeholder="Search time zones"
              emptyText="No time zone matches."
            />
          </Field>
        </CardContent>
        {canChange ? (
          <CardFooter className="flex-wrap justify-end">
            <SaveFailure
              error={save.error}
              paused={save.isPaused}
              fieldsShown={fieldError !== undefined}
              className="w-full sm:mr-auto sm:w-auto sm:flex-1"
            />
            <Button type="submit" disabled={!dirty || save.isPending}>
              {save.isPending ? <Loader2 className="animate-spin" /> : null}
              Save time zone
            </Button>
          </CardFooter>
        ) : null}
      </form>
    </Card>
  );
}
