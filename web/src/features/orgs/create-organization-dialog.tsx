// "Create organization": a name, then the new organisation becomes the current one.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import { toast } from 'sonner';
import { z } from 'zod';
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
import { adoptSession } from '@/features/orgs/queries';
import { api, isApiError } from '@/lib/api';
import { applyServerFieldErrors, toastSaveFailure } from '@/lib/forms';

export const organizationNameSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.'),
});
type Values = z.infer<typeof organizationNameSchema>;

export function CreateOrganizationDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <CreateOrganizationForm onDone={() => onOpenChange(false)} />
      <DialogCloseButton />
    </Dialog>
  );
}

function CreateOrganizationForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useForm<Values>({
    resolver: zodResolver(organizationNameSchema),
    defaultValues: { name: '' },
  });
  const create = useMutation({
    mutationFn: async ({ name }: Values) => {
      const organization = await api.orgs.create(name);
      return api.auth.switchOrg(organization.id);
    },
    meta: { inlineError: true },
    onSuccess: async (session) => {
      await adoptSession(queryClient, session);
      onDone();
      navigate('/');
      toast.success(`Created ${session.organization?.name ?? 'the organization'}`, {
        description: 'You are its owner.',
      });
    },
    onError: (error) => {
      const placed = applyServerFieldErrors(error, form.setError, ['name']);
      toastSaveFailure('Organization not created', error, placed);
    },
  });
  const { errors } = form.formState;
  const otherError =
    isApiError(create.error) && Object.keys(create.error.fields).length > 0 ? null : create.error;

  return (
    <form noValidate className="grid gap-5" onSubmit={form.handleSubmit((values) => create.mutate(values))}>
      <DialogHeader>
        <DialogTitle>Create organization</DialogTitle>
        <DialogDescription>
          A separate workspace with its own team, bots and billing. You will be its owner.
        </DialogDescription>
      </DialogHeader>
      <Field id="new-org-name" label="Organization name" error={errors.name?.message}>
        <Input
          {...fieldControlProps('new-org-name', errors.name?.message)}
          autoFocus
          autoComplete="organization"
          placeholder="Acme Inc."
          {...form.register('name')}
        />
      </Field>
      {otherError ? <ErrorAlert error={otherError} /> : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? <Loader2 className="animate-spin" /> : null}
          Create organization
        </Button>
      </DialogFooter>
    </form>
  );
}
