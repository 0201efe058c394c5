// "Create bot": a name, a model and a system prompt; every other field starts at the server's default.
import * as React from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import { toast } from 'sonner';
import { ErrorAlert } from '@/components/confirm-dialog';
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
import { Textarea } from '@/components/ui/textarea';
import { ModelPicker } from '@/features/ai/model-picker';
import { useModelChoices } from '@/features/ai/queries';
import { botsKey } from '@/features/bots/queries';
import {
  DEFAULT_MODEL,
  DEFAULT_SYSTEM_PROMPT,
  newBotSchema,
  type NewBotValues,
} from '@/features/bots/schema';
import { api, isApiError } from '@/lib/api';
import { applyServerFieldErrors, toastSaveFailure } from '@/lib/forms';

interface CreateBotDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function CreateBotDialog({ open, onOpenChange }: CreateBotDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <CreateBotForm onCancel={() => onOpenChange(false)} />
      <DialogCloseButton />
    </Dialog>
  );
}

function CreateBotForm({ onCancel }: { onCancel: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<NewBotValues>({
    resolver: zodResolver(newBotSchema),
    defaultValues: { name: '', model: DEFAULT_MODEL, system_prompt: DEFAULT_SYSTEM_PROMPT },
  });
  const create = useMutation({
    mutationFn: (values: NewBotValues) => api.bots.create(values),
    meta: { inlineError: true },
    onSuccess: (bot) => {
      queryClient.invalidateQueries({ queryKey: botsKey });
      toast.success(`“${bot.name}” created`, { description: 'Give it a greeting and test it.' });
      navigate(`/bots/${bot.id}`);
    },
    onError: (error) => {
      let placed = applyServerFieldErrors(error, form.setError, ['name', 'model', 'system_prompt']);
      if (isApiError(error, 409)) {
        form.setError('name', { type: 'server', message: error.message });
        placed = true;
      }
      toastSaveFailure('Bot not created', error, placed);
    },
  });
  // The default model may not be one the organisation allows: start from its first allowed one.
  const allowedList = useModelChoices().allowed.join(' ');
  React.useEffect(() => {
    const allowed = allowedList ? allowedList.split(' ') : [];
    if (
      allowed.length > 0 &&
      !form.getFieldState('model').isDirty &&
      !allowed.includes(form.getValues('model'))
    )
      form.setValue('model', allowed[0]);
  }, [allowedList, form]);
  const { errors } = form.formState;
  const shownUnderField =
    isApiError(create.error) && (create.error.status === 409 || Object.keys(create.error.fields).length > 0);

  return (
    <form noValidate className="grid gap-5" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <DialogHeader>
        <DialogTitle>Create bot</DialogTitle>
        <DialogDescription>
          You can change everything later: greeting, fallback message, templates and more.
        </DialogDescription>
      </DialogHeader>
      <Field id="bot-name" label="Name" error={errors.name?.message} hint="Customers see it in the chat.">
        <Input
          {...fieldControlProps('bot-name', errors.name?.message)}
          autoFocus
          autoComplete="off"
          {...form.register('name')}
        />
      </Field>
      <ModelPicker id="bot-model" error={errors.model?.message} {...form.register('model')} />
      <Field id="bot-prompt" label="System prompt" error={errors.system_prompt?.message}>
        <Textarea
          {...fieldControlProps('bot-prompt', errors.system_prompt?.message)}
          rows={4}
          {...form.register('system_prompt')}
        />
      </Field>
      {create.error && !shownUnderField ? <ErrorAlert error={create.error} /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" /> : null}
          Create bot
        </Button>
      </DialogFooter>
    </form>
  );
}
