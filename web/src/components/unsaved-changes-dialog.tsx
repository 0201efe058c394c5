// "Discard unsaved changes?" (Stay / Discard) before unsaved edits are left behind, for every form on
// the page that reports to it through useUnsavedChangesGuard. Sits inside the data router.
import * as React from 'react';
import { createPortal } from 'react-dom';
import { ConfirmDialog } from '@/components/confirm-dialog';
import {
  UnsavedChangesContext,
  useUnsavedChangesController,
  type UnsavedChangesQuestion,
} from '@/lib/use-unsaved-changes-guard';

export function UnsavedChangesProvider({ children }: { children: React.ReactNode }) {
  const { registry, question } = useUnsavedChangesController();
  return (
    <UnsavedChangesContext.Provider value={registry}>
      {children}
      {/* Beside the app rather than in a page's markup: a modal dialog shows on top of everything anyway. */}
      {createPortal(<UnsavedChangesDialog question={question} />, document.body)}
    </UnsavedChangesContext.Provider>
  );
}

export function UnsavedChangesDialog({ question }: { question: UnsavedChangesQuestion }) {
  return (
    <ConfirmDialog
      open={question.open}
      onOpenChange={(open) => {
        if (!open) question.stay();
      }}
      title="Discard unsaved changes?"
      description="You changed this page without saving. If you leave now, those changes are lost."
      cancelLabel="Stay"
      confirmLabel="Discard"
      destructive
      onConfirm={question.discard}
    />
  );
}
