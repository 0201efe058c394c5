// A web chat's launcher look (colour, side, label, greeting, theme) with a live preview, and its
// identity secret for signed visitor identities (docs/adr/0030).
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Loader2, MessageCircle } from 'lucide-react';
import { toast } from 'sonner';
import { CopyField } from '@/components/copy-field';
import { SaveFailure } from '@/components/save-failure';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { deploymentsKey } from '@/features/bots/queries';
import { api, isApiError, type Deployment, type WidgetAppearance } from '@/lib/api';
import { textColorOn } from '@/lib/color';
import { toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';
import { cn } from '@/lib/utils';

const HEX = /^#[0-9a-f]{6}$/i;

/** What the form may save, or the problem per field (the server checks the same). */
export function appearanceProblems(
  values: WidgetAppearance,
): Partial<Record<keyof WidgetAppearance, string>> {
  const problems: Partial<Record<keyof WidgetAppearance, string>> = {};
  if (!HEX.test(values.color)) problems.color = 'Use a colour such as #4f46e5 (# and six hex digits).';
  if ([...values.launcher_label].length > 40) problems.launcher_label = 'Use at most 40 characters.';
  if ([...values.greeting].length > 500) problems.greeting = 'Use at most 500 characters.';
  return problems;
}

/** The launcher as the embedding page will show it: colour, side, label, and the greeting above it. */
export function LauncherPreview({
  appearance,
  fallbackGreeting,
}: {
  appearance: WidgetAppearance;
  fallbackGreeting: string;
}) {
  const color = HEX.test(appearance.color) ? appearance.color : '#4f46e5';
  const left = appearance.position === 'left';
  const label = appearance.launcher_label.trim();
  const greeting = appearance.greeting.trim() || fallbackGreeting;
  // Fixed light or dark in colours the app's dark theme does not remap (white, zinc-800/950, an arbitrary
  // grey), so "Always light" looks light in the dark app too; "system" is shown in the app's own theme.
  const fixed = appearance.theme === 'light' || appearance.theme === 'dark' ? appearance.theme : null;
  const text = textColorOn(color) ?? '#ffffff';
  return (
    <div
      role="img"
      aria-label={`Preview: ${label || 'chat'} launcher on the ${left ? 'left' : 'right'}, colour ${color}`}
      data-testid="launcher-preview"
      className={cn(
        'relative flex h-40 min-w-0 flex-col justify-end gap-2 overflow-hidden rounded-md border p-3',
        fixed === 'dark' ? 'bg-zinc-950' : fixed === 'light' ? 'bg-[#f4f4f5]' : 'bg-muted/30',
        left ? 'items-start' : 'items-end',
      )}
    >
      {greeting ? (
        <p
          data-testid="preview-greeting"
          className={cn(
            'max-w-[85%] break-words rounded-lg px-3 py-2 text-xs shadow-sm',
            fixed === 'dark'
              ? 'bg-zinc-800 text-white'
              : fixed === 'light'
                ? 'bg-white text-zinc-950'
                : 'bg-background',
          )}
        >
          {greeting}
        </p>
      ) : null}
      <span
        data-testid="preview-launcher"
        data-side={left ? 'left' : 'right'}
        style={{ background: color, color: text }}
        className={cn(
          'flex h-11 max-w-full items-center justify-center gap-2 text-sm font-semibold shadow-md',
          label ? 'rounded-full pl-3 pr-4' : 'w-11 rounded-full',
        )}
      >
        <MessageCircle className="size-5 shrink-0" aria-hidden="true" />
        {label ? <span className="truncate">{label}</span> : null}
      </span>
    </div>
  );
}

export function AppearanceEditor({
  deployment,
  fallbackGreeting,
}: {
  deployment: Deployment;
  fallbackGreeting: string;
}) {
  const saved: WidgetAppearance = {
    color: deployment.color,
    position: deployment.position,
    launcher_label: deployment.launcher_label,
    greeting: deployment.greeting,
    theme: deployment.theme,
  };
  const [values, setValues] = React.useState<WidgetAppearance>(saved);
  const [shownProblems, setShownProblems] = React.useState<Partial<Record<keyof WidgetAppearance, string>>>(
    {},
  );
  const dirty = (Object.keys(saved) as (keyof WidgetAppearance)[]).some((k) => values[k] !== saved[k]);
  useUnsavedChangesGuard(dirty);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (changes: WidgetAppearance) => api.deployments.update(deployment.id, changes),
    meta: { inlineError: true },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
      toast.success('Launcher saved', {
        description: 'Pages embedding the chat show it on their next load.',
      });
    },
    onError: (failure) => {
      const fields = isApiError(failure) ? failure.fields : {};
      setShownProblems(fields as Partial<Record<keyof WidgetAppearance, string>>);
      toastSaveFailure('Launcher not saved', failure, Object.keys(fields).length > 0);
    },
  });
  const set = <K extends keyof WidgetAppearance>(key: K, value: WidgetAppearance[K]) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (shownProblems[key]) setShownProblems((previous) => ({ ...previous, [key]: undefined }));
  };
  const id = (name: string) => `${name}-${deployment.id}`;
  const problem = (key: keyof WidgetAppearance) => shownProblems[key];
  return (
    <form
      noValidate
      aria-label="Launcher"
      className="grid min-w-0 gap-3 rounded-md border p-3"
      onSubmit={(event) => {
        event.preventDefault();
        const problems = appearanceProblems(values);
        setShownProblems(problems);
        if (Object.keys(problems).length === 0) save.mutate(values);
      }}
    >
      <p className="text-sm font-medium">Launcher</p>
      <div className="grid min-w-0 grid-cols-1 gap-3 md:grid-cols-2">
        <div className="grid min-w-0 grid-cols-1 gap-3">
          <Field id={id('color')} label="Colour" error={problem('color')}>
            <div className="flex gap-2">
              <input
                type="color"
                aria-label="Pick a colour"
                className="h-9 w-11 shrink-0 cursor-pointer rounded-md border bg-background p-1"
                value={HEX.test(values.color) ? values.color.toLowerCase() : '#4f46e5'}
                onChange={(event) => set('color', event.target.value)}
              />
              <Input
                {...fieldControlProps(id('color'), problem('color'))}
                className="font-mono"
                maxLength={7}
                value={values.color}
                onChange={(event) => set('color', event.target.value.trim())}
              />
            </div>
          </Field>
          <Field id={id('position')} label="Position">
            <NativeSelect
              id={id('position')}
              value={values.position}
              onChange={(event) => set('position', event.target.value as WidgetAppearance['position'])}
            >
              <option value="right">Bottom right</option>
              <option value="left">Bottom left</option>
            </NativeSelect>
          </Field>
          <Field
            id={id('label')}
            label="Launcher label"
            error={problem('launcher_label')}
            hint="Optional: words beside the icon."
          >
            <Input
              {...fieldControlProps(id('label'), problem('launcher_label'))}
              value={values.launcher_label}
              placeholder="Chat with us"
              onChange={(event) => set('launcher_label', event.target.value)}
            />
          </Field>
          <Field
            id={id('greeting')}
            label="Greeting"
            error={problem('greeting')}
            hint="Empty: the bot's greeting."
          >
            <Input
              {...fieldControlProps(id('greeting'), problem('greeting'))}
              value={values.greeting}
              placeholder={fallbackGreeting}
              onChange={(event) => set('greeting', event.target.value)}
            />
          </Field>
          <Field id={id('theme')} label="Theme">
            <NativeSelect
              id={id('theme')}
              value={values.theme}
              onChange={(event) => set('theme', event.target.value as WidgetAppearance['theme'])}
            >
              <option value="system">Follow the website visitor's setting</option>
              <option value="light">Always light</option>
              <option value="dark">Always dark</option>
            </NativeSelect>
          </Field>
        </div>
        <LauncherPreview appearance={values} fallbackGreeting={fallbackGreeting} />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" size="sm" disabled={save.isPending || !dirty}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save launcher
        </Button>
        <SaveFailure
          error={save.error}
          fieldsShown={Object.values(shownProblems).some(Boolean)}
          className="flex-1"
        />
      </div>
    </form>
  );
}

/** Creates or replaces the identity secret; the new one is shown here once. Owners and admins. */
export function IdentitySecret({ deployment }: { deployment: Deployment }) {
  const [secret, setSecret] = React.useState<string | null>(null);
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => api.deployments.rotateIdentitySecret(deployment.id),
    meta: { inlineError: true },
    onSuccess: async (answer) => {
      setSecret(answer.identity_secret);
      await queryClient.invalidateQueries({ queryKey: deploymentsKey(deployment.bot_id) });
    },
  });
  return (
    <div className="grid min-w-0 gap-2 rounded-md border p-3">
      <p className="text-sm font-medium">Signed visitor identity</p>
      <p className="text-xs text-muted-foreground">
        Your website can tell the chat who its signed-in visitor is: add data-user-id, data-user-name,
        data-user-expires (unix seconds) and data-user-signature (hex HMAC-SHA256 of “id\nname\nexpires” with
        this secret) to the snippet. Compute the signature on your server; never put the secret in a page.
      </p>
      {secret ? (
        <div className="grid gap-1.5">
          <p className="text-xs font-medium text-amber-700">Copy it now: it is not shown again.</p>
          <CopyField value={secret} label="Identity secret" />
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          type="button"
          size="sm"
          variant="outline"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate()}
        >
          {rotate.isPending ? <Loader2 className="animate-spin" /> : <KeyRound />}
          {deployment.identity_secret_set ? 'Replace identity secret' : 'Create identity secret'}
        </Button>
        <SaveFailure error={rotate.error} fieldsShown={false} className="flex-1" />
      </div>
    </div>
  );
}
