// Create or edit a response template: name, category, trigger phrases, body, variables with
// defaults and per-platform wording, with a live preview rendered by the server. Closing it or leaving
// the page with unsaved edits asks first.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, Plus, X } from 'lucide-react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { templatesKey } from '@/features/templates/queries';
import {
  ACTION_LABELS,
  emptyTemplate,
  formToTemplate,
  MAX_BODY,
  PLATFORM_LABELS,
  TEMPLATE_FIELDS,
  templateSchema,
  templateToForm,
  type TemplateFormValues,
} from '@/features/templates/schema';
import { TemplatePreviewPanel } from '@/features/templates/template-preview-panel';
import { api, TEMPLATE_PLATFORMS, type Template } from '@/lib/api';
import { applyServerFieldErrors, serverFieldsShown, toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

interface TemplateDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The template to edit; absent to create one. */
  template?: Template | null;
  readOnly?: boolean;
  categories?: string[];
}

export function TemplateDialog({
  open,
  onOpenChange,
  template,
  readOnly = false,
  categories = [],
}: TemplateDialogProps) {
  // Escape, the backdrop and ×: the form inside decides, since it knows whether its edits are saved.
  const closeRequest = React.useRef<(() => void) | null>(null);
  const requestClose = React.useCallback(
    (next: boolean) => {
      if (next) onOpenChange(true);
      else if (closeRequest.current) closeRequest.current();
      else onOpenChange(false);
    },
    [onOpenChange],
  );
  const close = React.useCallback(() => onOpenChange(false), [onOpenChange]);
  return (
    <Dialog open={open} onOpenChange={requestClose} className="max-w-4xl">
      <TemplateForm
        template={template ?? null}
        readOnly={readOnly}
        categories={categories}
        closeRequest={closeRequest}
        onClose={close}
      />
      <DialogCloseButton />
    </Dialog>
  );
}

function TemplateForm({
  template,
  readOnly,
  categories,
  closeRequest,
  onClose,
}: {
  template: Template | null;
  readOnly: boolean;
  categories: string[];
  /** Set to what closing the dialog does: with unsaved edits, ask first. */
  closeRequest: React.MutableRefObject<(() => void) | null>;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<TemplateFormValues>({
    resolver: zodResolver(templateSchema),
    defaultValues: template ? templateToForm(template) : emptyTemplate(),
  });
  const variables = useFieldArray({ control: form.control, name: 'variables' });
  const save = useMutation({
    mutationFn: (values: TemplateFormValues) =>
      template
        ? api.templates.update(template.id, formToTemplate(values))
        : api.templates.create(formToTemplate(values)),
    meta: { inlineError: true },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      toast.success(template ? `“${saved.name}” saved` : `“${saved.name}” created`);
      onClose();
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, TEMPLATE_FIELDS);
      toastSaveFailure(template ? 'Template not saved' : 'Template not created', error, placed);
    },
  });
  const { errors, isDirty } = form.formState;
  const { confirmDiscard } = useUnsavedChangesGuard(!readOnly && isDirty);
  const requestClose = React.useCallback(() => confirmDiscard(onClose), [confirmDiscard, onClose]);
  // A layout effect, so that an Escape right after typing already asks.
  React.useLayoutEffect(() => {
    closeRequest.current = requestClose;
    return () => {
      closeRequest.current = null;
    };
  }, [closeRequest, requestClose]);
  const values = form.watch();
  const [showVariants, setShowVariants] = React.useState(
    () => template !== null && Object.keys(template.platform_variants ?? {}).length > 0,
  );
  const variantsError = (errors.platform_variants as { message?: string } | undefined)?.message;
  const variableError = errors.variables?.message ?? errors.variables?.root?.message ?? undefined;

  return (
    <form noValidate className="grid gap-5" onSubmit={form.handleSubmit((next) => save.mutate(next))}>
      <DialogHeader>
        <DialogTitle>
          {readOnly ? template?.name : template ? 'Edit template' : 'Create template'}
        </DialogTitle>
        <DialogDescription>
          A template answers word for word when a message contains one of its trigger phrases.
        </DialogDescription>
      </DialogHeader>
      {/* p-1 (and -m-1) keeps the focus rings at its edges inside the scrolling box. */}
      <div className="-m-1 grid max-h-[65vh] gap-5 overflow-y-auto p-1 md:grid-cols-[minmax(0,1fr)_18rem]">
        <fieldset disabled={readOnly || save.isPending} className="grid min-w-0 content-start gap-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="template-name" label="Name" error={errors.name?.message}>
              <Input
                {...fieldControlProps('template-name', errors.name?.message)}
                autoFocus
                autoComplete="off"
                {...form.register('name')}
              />
            </Field>
            <Field
              id="template-category"
              label="Category"
              error={errors.category?.message}
              hint="e.g. Store info."
            >
              <Input
                {...fieldControlProps('template-category', errors.category?.message)}
                autoComplete="off"
                list="template-categories"
                {...form.register('category')}
              />
              <datalist id="template-categories">
                {categories.map((category) => (
                  <option key={category} value={category} />
                ))}
              </datalist>
            </Field>
          </div>
          <Controller
            control={form.control}
            name="trigger_phrases"
            render={({ field }) => (
              <PhraseInput
                value={field.value}
                onChange={field.onChange}
                error={
                  errors.trigger_phrases?.message ??
                  (Array.isArray(errors.trigger_phrases)
                    ? errors.trigger_phrases.find((e) => e?.message)?.message
                    : undefined)
                }
              />
            )}
          />
          <div className="flex items-start gap-3">
            <input
              id="template-manual"
              type="checkbox"
              className="mt-0.5 size-4 accent-zinc-900"
              aria-describedby="template-manual-hint"
              {...form.register('manual', {
                // The phrase error depends on this box: recheck it once the form has been submitted.
                onChange: () => {
                  if (form.formState.isSubmitted) void form.trigger('trigger_phrases');
                },
              })}
            />
            <div className="grid gap-0.5">
              <label htmlFor="template-manual" className="cursor-pointer text-sm font-medium">
                Manual / AI only
              </label>
              <p id="template-manual-hint" className="text-xs text-muted-foreground">
                No trigger phrases: it never answers on its own; the AI may use it as a reference answer.
              </p>
            </div>
          </div>
          <Field
            id="template-body"
            label="Answer"
            error={errors.body?.message}
            hint={`Use {{user_name}}, {{bot_name}}, {{platform}} or your own variables below. At most ${MAX_BODY.toLocaleString('en')} characters.`}
          >
            <Textarea
              {...fieldControlProps('template-body', errors.body?.message)}
              rows={5}
              {...form.register('body')}
            />
          </Field>
          <Field
            id="template-action"
            label="Action"
            error={errors.action?.message}
            hint="What else happens when this template answers: the conversation counts as resolved, or a conversion named after the template is recorded."
          >
            <NativeSelect
              {...fieldControlProps('template-action', errors.action?.message)}
              {...form.register('action')}
            >
              {(Object.keys(ACTION_LABELS) as (keyof typeof ACTION_LABELS)[]).map((action) => (
                <option key={action} value={action}>
                  {ACTION_LABELS[action]}
                </option>
              ))}
            </NativeSelect>
          </Field>

          <div className="grid gap-2">
            <div className="flex items-center justify-between">
              <p className="text-sm font-medium">Variables</p>
              {!readOnly ? (
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  onClick={() => variables.append({ name: '', default: '' })}
                  disabled={variables.fields.length >= 20}
                >
                  <Plus />
                  Add variable
                </Button>
              ) : null}
            </div>
            {variables.fields.length === 0 ? (
              <p className="text-[0.8rem] text-muted-foreground">
                Declare a variable to use it as {'{{name}}'}; its default fills it in when nothing else does.
              </p>
            ) : (
              <ul className="grid gap-2">
                {variables.fields.map((item, index) => {
                  const nameError = errors.variables?.[index]?.name?.message;
                  const defaultError = errors.variables?.[index]?.default?.message;
                  return (
                    <li
                      key={item.id}
                      className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto] items-start gap-2"
                    >
                      <div className="grid gap-1">
                        <Input
                          aria-label={`Variable ${index + 1} name`}
                          aria-invalid={nameError ? true : undefined}
                          placeholder="opening_time"
                          className="font-mono text-xs"
                          {...form.register(`variables.${index}.name`)}
                        />
                        {nameError ? (
                          <p className="text-[0.8rem] font-medium text-destructive">{nameError}</p>
                        ) : null}
                      </div>
                      <div className="grid gap-1">
                        <Input
                          aria-label={`Variable ${index + 1} default`}
                          aria-invalid={defaultError ? true : undefined}
                          placeholder="Default value"
                          {...form.register(`variables.${index}.default`)}
                        />
                        {defaultError ? (
                          <p className="text-[0.8rem] font-medium text-destructive">{defaultError}</p>
                        ) : null}
                      </div>
                      {!readOnly ? (
                        <Button
                          type="button"
                          variant="ghost"
                          size="icon"
                          aria-label={`Remove variable ${index + 1}`}
                          onClick={() => variables.remove(index)}
                        >
                          <X />
                        </Button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
            {variableError ? (
              <p className="text-[0.8rem] font-medium text-destructive">{variableError}</p>
            ) : null}
          </div>

          <div className="grid gap-2">
            <button
              type="button"
              className="justify-self-start rounded-sm text-sm font-medium underline-offset-4 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
              aria-expanded={showVariants}
              onClick={() => setShowVariants((shown) => !shown)}
            >
              {showVariants ? 'Hide' : 'Show'} wording per platform
            </button>
            {showVariants ? (
              <div className="grid gap-3 rounded-md border p-3">
                <p className="text-[0.8rem] text-muted-foreground">
                  Empty: that platform gets the answer above. Use it for Slack’s *bold* or a shorter SMS.
                </p>
                {TEMPLATE_PLATFORMS.map((platform) => (
                  <Field key={platform} id={`variant-${platform}`} label={PLATFORM_LABELS[platform]}>
                    <Textarea
                      rows={2}
                      id={`variant-${platform}`}
                      {...form.register(`platform_variants.${platform}`)}
                    />
                  </Field>
                ))}
                {variantsError ? (
                  <p className="text-[0.8rem] font-medium text-destructive">{variantsError}</p>
                ) : null}
              </div>
            ) : variantsError ? (
              <p className="text-[0.8rem] font-medium text-destructive">{variantsError}</p>
            ) : null}
          </div>
        </fieldset>
        <div className="md:sticky md:top-0 md:self-start">
          <TemplatePreviewPanel
            body={values.body}
            variables={values.variables}
            platformVariants={values.platform_variants}
          />
        </div>
      </div>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={requestClose} disabled={save.isPending}>
          {readOnly ? 'Close' : 'Cancel'}
        </Button>
        {!readOnly ? (
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? <Loader2 className="animate-spin" /> : null}
            {template ? 'Save template' : 'Create template'}
          </Button>
        ) : null}
        {/* Last in the markup: above the buttons on a phone, left of them on a wider screen. */}
        <SaveFailure
          error={save.error}
          paused={save.isPaused}
          fieldsShown={serverFieldsShown(save.error, TEMPLATE_FIELDS)}
          className="sm:order-first sm:mr-auto sm:self-center"
        />
      </DialogFooter>
    </form>
  );
}

/** Trigger phrases as chips: Enter or comma adds the typed phrase, × removes one. */
function PhraseInput({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (phrases: string[]) => void;
  error?: string;
}) {
  const [draft, setDraft] = React.useState('');
  const add = () => {
    const phrase = draft.trim().replace(/,$/, '').trim();
    if (phrase && !value.some((existing) => existing.toLowerCase() === phrase.toLowerCase())) {
      onChange([...value, phrase]);
    }
    setDraft('');
  };
  return (
    <Field
      id="template-triggers"
      label="Trigger phrases"
      error={error}
      hint="Press Enter after each. A message containing any of them gets this answer."
    >
      <div className="flex min-h-9 flex-wrap items-center gap-1.5 rounded-md border border-input px-2 py-1.5 focus-within:border-ring focus-within:ring-2 focus-within:ring-ring/20">
        {value.map((phrase) => (
          <span
            key={phrase}
            className="inline-flex items-center gap-1 rounded-md bg-secondary px-2 py-0.5 text-xs font-medium"
          >
            {phrase}
            <button
              type="button"
              aria-label={`Remove “${phrase}”`}
              className="rounded text-muted-foreground hover:text-foreground"
              onClick={() => onChange(value.filter((p) => p !== phrase))}
            >
              <X className="size-3" />
            </button>
          </span>
        ))}
        <input
          {...fieldControlProps('template-triggers', error)}
          className="min-w-32 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
          placeholder={value.length === 0 ? 'opening hours' : 'Add another'}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ',') {
              event.preventDefault();
              add();
            } else if (event.key === 'Backspace' && draft === '' && value.length > 0) {
              onChange(value.slice(0, -1));
            }
          }}
          onBlur={() => {
            if (draft.trim()) add();
          }}
        />
      </div>
    </Field>
  );
}
