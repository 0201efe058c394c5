// The bot's settings: profile, conversation, AI and templates, with a live preview beside them.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Check, Loader2 } from 'lucide-react';
import { Controller, useForm } from 'react-hook-form';
import { Link } from 'react-router-dom';
import { toast } from 'sonner';
import { ErrorAlert } from '@/components/confirm-dialog';
import { SaveFailure } from '@/components/save-failure';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { ModelPicker } from '@/features/ai/model-picker';
import { BotPreview } from '@/features/bots/bot-preview';
import { ResolutionPhrasesEditor } from '@/features/bots/resolution-phrases-editor';
import { botKey, botsKey } from '@/features/bots/queries';
import { BOT_FIELDS, botSchema, botToForm, formToBot, type BotFormValues } from '@/features/bots/schema';
import { useTemplates } from '@/features/templates/queries';
import { api, isApiError, type Bot, type Template } from '@/lib/api';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

/** The server's answer went under a field: a field error (422) or a name in use (409). */
const shownUnderField = (error: unknown) => serverFieldsShown(error, BOT_FIELDS) || isApiError(error, 409);

/** An error about a whole list field: its own message, or the root of its item errors. */
function listError(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { message, root } = error as { message?: unknown; root?: { message?: unknown } };
  if (typeof message === 'string' && message) return message;
  return typeof root?.message === 'string' ? root.message : undefined;
}

export function BotSettingsForm({ bot, canManage }: { bot: Bot; canManage: boolean }) {
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const form = useForm<BotFormValues>({ resolver: zodResolver(botSchema), defaultValues: botToForm(bot) });
  const save = useMutation({
    mutationFn: (values: BotFormValues) => api.bots.update(bot.id, formToBot(values)),
    meta: { inlineError: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(botKey(bot.id), saved);
      queryClient.invalidateQueries({ queryKey: botsKey });
      form.reset(botToForm(saved));
      toast.success('Bot saved', { description: `Version ${saved.version}` });
    },
    onError: (error) => {
      applyServerFieldErrors(error, form.setError, BOT_FIELDS);
      if (isApiError(error, 409)) form.setError('name', { type: 'server', message: error.message });
      toastSaveFailure('Bot not saved', error, shownUnderField(error));
    },
  });
  const { errors, isDirty } = form.formState;
  useUnsavedChangesGuard(canManage && isDirty);
  const values = form.watch();
  const attached = (templates.data ?? []).filter((template) => values.template_ids.includes(template.id));

  const text = (name: keyof BotFormValues, id: string) => ({
    ...fieldControlProps(id, errors[name]?.message),
    ...form.register(name),
  });
  const num = (name: 'temperature' | 'max_tokens' | 'history_turns', id: string) => ({
    ...fieldControlProps(id, errors[name]?.message),
    type: 'number',
    ...form.register(name, { valueAsNumber: true }),
  });

  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <form noValidate className="grid gap-4" onSubmit={form.handleSubmit((next) => save.mutate(next))}>
        <fieldset disabled={!canManage || save.isPending} className="grid min-w-0 grid-cols-1 gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Profile</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-2">
              <Field id="bot-name" label="Name" error={errors.name?.message}>
                <Input autoComplete="off" {...text('name', 'bot-name')} />
              </Field>
              <Field
                id="bot-color"
                label="Colour"
                error={errors.avatar_color?.message}
                hint="Hex, e.g. #4f46e5."
              >
                <div className="flex gap-2">
                  <Controller
                    control={form.control}
                    name="avatar_color"
                    render={({ field }) => (
                      <input
                        type="color"
                        aria-label="Pick a colour"
                        className="h-9 w-11 shrink-0 cursor-pointer rounded-md border bg-background p-1"
                        value={/^#[0-9a-fA-F]{6}$/.test(field.value) ? field.value : '#4f46e5'}
                        onChange={(event) => field.onChange(event.target.value)}
                      />
                    )}
                  />
                  <Input className="font-mono text-xs" {...text('avatar_color', 'bot-color')} />
                </div>
              </Field>
              <div className="sm:col-span-2">
                <Field id="bot-description" label="Description" error={errors.description?.message}>
                  <Input autoComplete="off" {...text('description', 'bot-description')} />
                </Field>
              </div>
              <div className="sm:col-span-2">
                <Field
                  id="bot-avatar-url"
                  label="Avatar URL"
                  error={errors.avatar_url?.message}
                  hint="Optional image for embedded chats; empty shows initials on the colour."
                >
                  <Input autoComplete="off" {...text('avatar_url', 'bot-avatar-url')} />
                </Field>
              </div>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Conversation</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-2">
              <div className="sm:col-span-2">
                <Field
                  id="bot-greeting"
                  label="Greeting"
                  error={errors.greeting?.message}
                  hint="The first message a visitor sees. Empty: none."
                >
                  <Textarea rows={2} {...text('greeting', 'bot-greeting')} />
                </Field>
              </div>
              <div className="sm:col-span-2">
                <Field
                  id="bot-fallback"
                  label="Fallback message"
                  error={errors.fallback_message?.message}
                  hint="Sent when no template matches and AI cannot answer."
                >
                  <Textarea rows={2} {...text('fallback_message', 'bot-fallback')} />
                </Field>
              </div>
              <div className="sm:col-span-2">
                <Field
                  id="bot-over-quota"
                  label="Over-quota notice"
                  error={errors.over_quota_message?.message}
                  hint="Sent instead of a reply once your organization has used this month's messages. Empty: the fallback message."
                >
                  <Textarea rows={2} {...text('over_quota_message', 'bot-over-quota')} />
                </Field>
              </div>
              <Field
                id="bot-language"
                label="Language"
                error={errors.language?.message}
                hint="e.g. en, de, pt-BR."
              >
                <Input autoComplete="off" {...text('language', 'bot-language')} />
              </Field>
              <div className="flex items-center gap-2 self-center pt-4">
                <input
                  id="bot-satisfaction"
                  type="checkbox"
                  className="size-4 accent-primary"
                  {...form.register('ask_satisfaction')}
                />
                <label htmlFor="bot-satisfaction" className="text-sm">
                  Ask for a rating when a conversation ends
                </label>
              </div>
              <div className="sm:col-span-2">
                <Controller
                  control={form.control}
                  name="resolution_phrases"
                  render={({ field }) => (
                    <ResolutionPhrasesEditor
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      disabled={!canManage || save.isPending}
                      error={listError(errors.resolution_phrases)}
                      itemErrors={
                        Array.isArray(errors.resolution_phrases)
                          ? errors.resolution_phrases.map((item) => item?.message)
                          : undefined
                      }
                    />
                  )}
                />
              </div>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>AI</CardTitle>
              <CardDescription>Used when no attached template matches the message.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-3">
              <div className="sm:col-span-3">
                <ModelPicker
                  id="bot-model"
                  error={errors.model?.message}
                  warning={
                    bot.model_allowed === false && values.model.trim() === bot.model
                      ? `${bot.model} is no longer allowed for this organization. The bot keeps answering with it until you choose an allowed model and save.`
                      : undefined
                  }
                  {...form.register('model')}
                />
              </div>
              <div className="sm:col-span-3">
                <Field id="bot-system-prompt" label="System prompt" error={errors.system_prompt?.message}>
                  <Textarea rows={5} {...text('system_prompt', 'bot-system-prompt')} />
                </Field>
              </div>
              <Field
                id="bot-temperature"
                label="Temperature"
                error={errors.temperature?.message}
                hint="0 to 2."
              >
                <Input step="0.1" min={0} max={2} {...num('temperature', 'bot-temperature')} />
              </Field>
              <Field
                id="bot-max-tokens"
                label="Max tokens"
                error={errors.max_tokens?.message}
                hint="1 to 4096."
              >
                <Input step="1" min={1} max={4096} {...num('max_tokens', 'bot-max-tokens')} />
              </Field>
              <Field
                id="bot-history"
                label="History turns"
                error={errors.history_turns?.message}
                hint="0 to 50 earlier turns sent."
              >
                <Input step="1" min={0} max={50} {...num('history_turns', 'bot-history')} />
              </Field>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Templates</CardTitle>
              <CardDescription>
                Attached templates answer first when a message contains one of their trigger phrases.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <Controller
                control={form.control}
                name="template_ids"
                render={({ field }) => (
                  <TemplatePicker
                    templates={templates.data}
                    loading={templates.isPending}
                    error={templates.error}
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
              {errors.template_ids?.message ? (
                <p className="mt-2 text-[0.8rem] font-medium text-destructive">
                  {errors.template_ids.message}
                </p>
              ) : null}
            </CardContent>
          </Card>
        </fieldset>

        {canManage ? (
          <div className="sticky bottom-0 z-10 flex flex-wrap items-center justify-end gap-2 border-t bg-background py-3 sm:flex-nowrap sm:gap-3">
            {save.error ? (
              // A failed save is told here, beside Save (above it on a phone), not below the form.
              <SaveFailure
                error={save.error}
                paused={save.isPaused}
                fieldsShown={shownUnderField(save.error)}
                className="w-full sm:mr-auto sm:w-auto sm:flex-1"
              />
            ) : (
              <p className="mr-auto whitespace-nowrap text-sm text-muted-foreground" aria-live="polite">
                {isDirty ? (
                  'Unsaved changes'
                ) : (
                  <span className="inline-flex items-center gap-1.5">
                    <Check className="size-4 text-emerald-600" /> Saved · version{' '}
                    {Math.max(bot.version, save.data?.version ?? 0)}
                  </span>
                )}
              </p>
            )}
            <Button
              type="button"
              variant="outline"
              disabled={!isDirty || save.isPending}
              onClick={() => {
                form.reset(botToForm(bot));
                save.reset();
              }}
            >
              Discard
            </Button>
            <Button type="submit" disabled={!isDirty || save.isPending}>
              {save.isPending ? <Loader2 className="animate-spin" /> : null}
              Save changes
            </Button>
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">Viewers can look at a bot but not change it.</p>
        )}
      </form>
      <div className="lg:sticky lg:top-20">
        <BotPreview
          name={values.name}
          color={values.avatar_color}
          greeting={values.greeting}
          fallbackMessage={values.fallback_message}
          templates={attached}
        />
      </div>
    </div>
  );
}

function TemplatePicker({
  templates,
  loading,
  error,
  value,
  onChange,
}: {
  templates: Template[] | undefined;
  loading: boolean;
  error: unknown;
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  if (loading) return <p className="text-sm text-muted-foreground">Loading templates…</p>;
  if (error) return <ErrorAlert error={error} />;
  if (!templates || templates.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        No templates yet.{' '}
        <Link to="/templates" className="font-medium text-foreground underline-offset-4 hover:underline">
          Create one
        </Link>{' '}
        for answers you want word for word.
      </p>
    );
  }
  return (
    <ul className="divide-y rounded-md border" aria-label="Templates to attach">
      {templates.map((template) => {
        const id = `attach-${template.id}`;
        const checked = value.includes(template.id);
        return (
          <li key={template.id} className="flex items-start gap-3 px-3 py-2.5">
            <input
              id={id}
              type="checkbox"
              className="mt-0.5 size-4 accent-primary"
              checked={checked}
              onChange={() =>
                onChange(checked ? value.filter((v) => v !== template.id) : [...value, template.id])
              }
            />
            <label htmlFor={id} className="min-w-0 flex-1 cursor-pointer">
              <span className="block text-sm font-medium">{template.name}</span>
              <span className="block truncate text-xs text-muted-foreground">
                {template.category ? `${template.category} · ` : ''}
                {template.trigger_phrases.length > 0
                  ? template.trigger_phrases.map((phrase) => `“${phrase}”`).join(', ')
                  : template.manual
                    ? 'manual / AI only'
                    : 'no trigger phrases'}
              </span>
            </label>
          </li>
        );
      })}
    </ul>
  );
}
