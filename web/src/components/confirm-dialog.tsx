// A yes/no question before an action that matters, with the server's refusal shown inside it.
import * as React from 'react';
import { AlertCircle, Loader2 } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { BillingLink } from '@/components/billing-link';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogCloseButton,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { isPlanError } from '@/lib/api';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  /** The button that answers no; "Cancel" unless told. */
  cancelLabel?: string;
  onConfirm: () => void;
  pending?: boolean;
  /** The last failure, shown above the buttons (e.g. "The last owner cannot leave."). */
  error?: unknown;
  destructive?: boolean;
  /** Extra content between the description and the buttons. */
  children?: React.ReactNode;
  /** Keeps the confirm button disabled (e.g. until a name is typed). */
  confirmDisabled?: boolean;
}

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  pending = false,
  error,
  destructive = false,
  children,
  confirmDisabled = false,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} dismissible={!pending}>
      <form
        className="grid gap-5"
        onSubmit={(event) => {
          event.preventDefault();
          if (!pending && !confirmDisabled) onConfirm();
        }}
      >
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        {error ? <ErrorAlert error={error} /> : null}
        <DialogFooter>
          <Button type="button" variant="outline" disabled={pending} onClick={() => onOpenChange(false)}>
            {cancelLabel}
          </Button>
          <Button
            type="submit"
            variant={destructive ? 'destructive' : 'default'}
            disabled={pending || confirmDisabled}
          >
            {pending ? <Loader2 className="animate-spin" /> : null}
            {confirmLabel}
          </Button>
        </DialogFooter>
      </form>
      <DialogCloseButton disabled={pending} />
    </Dialog>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  return (
    <Alert variant="destructive">
      <AlertCircle />
      <span>
        {error instanceof Error ? error.message : 'Something went wrong.'}
        {isPlanError(error) ? (
          <>
            {' '}
            <BillingLink />
          </>
        ) : null}
      </span>
    </Alert>
  );
}
