// /settings/profile: name, avatar and time zone, the email address, the password change form,
// two-factor sign-in and the sessions.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { Controller, useForm } from 'react-hook-form';
import { useLocation } from 'react-router-dom';
import { toast } from 'sonner';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { SaveFailure } from '@/components/save-failure';
import { ErrorState } from '@/components/states';
import { UserAvatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import { Combobox } from '@/components/ui/combobox';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { useSignedInSession } from '@/features/auth/session';
import {
  MIN_PASSWORD_LENGTH,
  passwordChangeSchema,
  profileSchema,
  type PasswordChangeValues,
  type ProfileValues,
} from '@/features/auth/schemas';
import { EmailCard } from '@/features/profile/email-card';
import { profileKey, sessionsKey, useProfile } from '@/features/profile/queries';
import { SessionsCard } from '@/features/profile/sessions-card';
import { TwoFactorCard } from '@/features/two-factor/two-factor-card';
import { api, type Profile, type Session } from '@/lib/api';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { sessionKey } from '@/lib/query-client';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

const PROFILE_FIELDS = ['name', 'avatar_url', 'timezone'] as const;
const PASSWORD_FIELDS = ['current_password', 'new_password'] as const;

const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')];

export function ProfileSettingsPage() {
  useDocumentTitle('Profile');
  const profile = useProfile();
  const { hash } = useLocation();

  React.useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [hash]);

  return (
    <>
      <PageHeader title="Profile" description="How you appear to your team, and how you sign in." />
      <div className="space-y-6">
        {profile.isPending ? (
          <ProfileFormSkeleton />
        ) : profile.isError ? (
          <ErrorState
            title="Could not load your profile"
            error={profile.error}
            onRetry={() => profile.refetch()}
          />
        ) : (
          <ProfileForm profile={profile.data} />
        )}
        <EmailCard />
        <PasswordForm />
        <TwoFactorCard />
        <SessionsCard />
      </div>
    </>
  );
}

function toValues(profile: Profile): ProfileValues {
  return { name: profile.name, avatar_url: profile.avatar_url ?? '', timezone: profile.timezone };
}

function ProfileForm({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const form = useForm<ProfileValues>({
    resolver: zodResolver(profileSchema),
    defaultValues: toValues(profile),
  });
  const save = useMutation({
    mutationFn: (values: ProfileValues) =>
      api.profile.update({ ...values, avatar_url: values.avatar_url === '' ? null : values.avatar_url }),
    // Told beside Save and in the toast below.
    meta: { inlineError: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(profileKey, updated);
      queryClient.setQueryData<Session | null>(sessionKey, (session) =>
        session ? { ...session, user: { ...session.user, name: updated.name } } : session,
      );
      form.reset(toValues(updated));
      toast.success('Profile saved');
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, PROFILE_FIELDS);
      toastSaveFailure('Profile not saved', error, placed);
    },
  });
  const { errors, isDirty } = form.formState;
  useUnsavedChangesGuard(isDirty);
  const timeZoneOptions = React.useMemo(
    () =>
      (TIME_ZONES.includes(profile.timezone) ? TIME_ZONES : [profile.timezone, ...TIME_ZONES]).map(
        (zone) => ({
          value: zone,
          label: zone.replaceAll('_', ' '),
        }),
      ),
    [profile.timezone],
  );

  return (
    <Card>
      <form noValidate onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <CardHeader>
          <CardTitle>Personal details</CardTitle>
          <CardDescription>Signed in as {profile.email}.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="flex items-center gap-4">
            <UserAvatar name={profile.name} src={profile.avatar_url} className="size-14 text-base" />
            <p className="text-sm text-muted-foreground">
              Your photo comes from the avatar URL below. Without one, your initials are shown.
            </p>
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field id="profile-name" label="Name" error={errors.name?.message}>
              <Input
                {...fieldControlProps('profile-name', errors.name?.message)}
                autoComplete="name"
                {...form.register('name')}
              />
            </Field>
            <Field
              id="profile-timezone"
              label="Time zone"
              error={errors.timezone?.message}
              hint={`Your browser is set to ${BROWSER_TIME_ZONE}.`}
            >
              <Controller
                control={form.control}
                name="timezone"
                render={({ field }) => (
                  <Combobox
                    {...fieldControlProps('profile-timezone', errors.timezone?.message)}
                    ref={field.ref}
                    name={field.name}
                    value={field.value}
                    onValueChange={field.onChange}
                    onBlur={field.onBlur}
                    options={timeZoneOptions}
                    placeholder="Search time zones"
                    emptyText="No time zone matches."
                  />
                )}
              />
            </Field>
          </div>
          <Field
            id="profile-avatar"
            label="Avatar URL"
            error={errors.avatar_url?.message}
            hint="A link to a square image. Leave empty to use your initials."
          >
            <Input
              {...fieldControlProps('profile-avatar', errors.avatar_url?.message)}
              type="url"
              inputMode="url"
              placeholder="https://…"
              {...form.register('avatar_url')}
            />
          </Field>
        </CardContent>
        <CardFooter className="flex-wrap justify-end">
          <SaveFailure
            error={save.error}
            paused={save.isPaused}
            fieldsShown={serverFieldsShown(save.error, PROFILE_FIELDS)}
            className="w-full sm:mr-auto sm:w-auto sm:flex-1"
          />
          <Button
            type="button"
            variant="ghost"
            disabled={!isDirty || save.isPending}
            onClick={() => {
              form.reset();
              save.reset();
            }}
          >
            Discard
          </Button>
          <Button type="submit" disabled={!isDirty || save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            Save changes
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}

function ProfileFormSkeleton() {
  return (
    <Card aria-busy="true" aria-label="Loading profile">
      <CardHeader>
        <Skeleton className="h-4 w-36" />
        <Skeleton className="h-4 w-56" />
      </CardHeader>
      <CardContent className="grid gap-5">
        <Skeleton className="size-14 rounded-full" />
        <div className="grid gap-5 sm:grid-cols-2">
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
        </div>
        <Skeleton className="h-14" />
      </CardContent>
    </Card>
  );
}

function PasswordForm() {
  const session = useSignedInSession();
  const queryClient = useQueryClient();
  const form = useForm<PasswordChangeValues>({
    resolver: zodResolver(passwordChangeSchema),
    defaultValues: { current_password: '', new_password: '', confirm_password: '' },
  });
  const change = useMutation({
    mutationFn: ({ current_password, new_password }: PasswordChangeValues) =>
      api.auth.changePassword({ current_password, new_password }),
    // Told beside the button and in the toast below.
    meta: { inlineError: true },
    onSuccess: () => {
      form.reset();
      void queryClient.invalidateQueries({ queryKey: sessionsKey });
      toast.success('Password changed', { description: 'Your other sessions have been signed out.' });
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, PASSWORD_FIELDS);
      toastSaveFailure('Password not changed', error, placed);
    },
  });
  const { errors, isDirty } = form.formState;
  useUnsavedChangesGuard(isDirty);

  return (
    <Card id="password" className="scroll-mt-20">
      <form noValidate onSubmit={form.handleSubmit((values) => change.mutate(values))}>
        <CardHeader>
          <CardTitle>Password</CardTitle>
          <CardDescription>Changing your password signs you out everywhere else.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <input type="email" autoComplete="username" value={session.user.email} readOnly hidden />
          <Field id="current-password" label="Current password" error={errors.current_password?.message}>
            <Input
              {...fieldControlProps('current-password', errors.current_password?.message)}
              type="password"
              autoComplete="current-password"
              {...form.register('current_password')}
            />
          </Field>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              id="new-password"
              label="New password"
              error={errors.new_password?.message}
              hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            >
              <Input
                {...fieldControlProps('new-password', errors.new_password?.message)}
                type="password"
                autoComplete="new-password"
                {...form.register('new_password')}
              />
            </Field>
            <Field
              id="confirm-password"
              label="Confirm new password"
              error={errors.confirm_password?.message}
            >
              <Input
                {...fieldControlProps('confirm-password', errors.confirm_password?.message)}
                type="password"
                autoComplete="new-password"
                {...form.register('confirm_password')}
              />
            </Field>
          </div>
        </CardContent>
        <CardFooter className="flex-wrap justify-end">
          <SaveFailure
            error={change.error}
            paused={change.isPaused}
            fieldsShown={serverFieldsShown(change.error, PASSWORD_FIELDS)}
            className="w-full sm:mr-auto sm:w-auto sm:flex-1"
          />
          <Button type="submit" disabled={change.isPending}>
            {change.isPending ? <Loader2 className="animate-spin" /> : null}
            Change password
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
