// A platform admin turns off another user's second factor (lost phone and recovery codes), after
// confirming; the user then signs in with their password alone and can set it up again.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ShieldOff } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { twoFactorApi } from '@/features/two-factor/api';
import type { AdminUser } from '@/lib/api';

export function ResetTwoFactorButton({ user }: { user: Pick<AdminUser, 'id' | 'email' | 'name'> }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const reset = useMutation({
    mutationFn: () => twoFactorApi.resetForUser(user.id),
    meta: { inlineError: true },
    onSuccess: async () => {
      setOpen(false);
      toast.success(`Two-factor sign-in reset for ${user.email}`, {
        description: 'They sign in with their password alone until they set it up again.',
      });
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        aria-label={`Reset two-factor sign-in of ${user.email}`}
        onClick={() => setOpen(true)}
      >
        <ShieldOff />
        Reset two-factor
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) reset.reset();
        }}
        title={`Reset two-factor sign-in of ${user.name}?`}
        description={`${user.email} will sign in with their password alone, and their recovery codes stop working. Do this only once you are sure the request comes from them. It is written to the audit log of each of their organizations.`}
        confirmLabel="Reset two-factor"
        destructive
        pending={reset.isPending}
        error={reset.error}
        onConfirm={() => reset.mutate()}
      />
    </>
  );
}
