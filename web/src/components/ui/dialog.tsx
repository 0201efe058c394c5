// Modal dialog on the native <dialog> element: the browser makes the page behind it inert, keeps
// focus inside, closes on Escape and gives focus back afterwards. Radix Dialog would lock scrolling
// with an injected <style> element, which the server's Content-Security-Policy refuses.
import * as React from 'react';
import { X } from 'lucide-react';
import { cn } from '@/lib/utils';

interface DialogContextValue {
  titleId: string;
  descriptionId: string;
  close: () => void;
}

const DialogContext = React.createContext<DialogContextValue | null>(null);

function useDialogContext(component: string) {
  const context = React.useContext(DialogContext);
  if (!context) throw new Error(`<${component}> must be inside <Dialog>`);
  return context;
}

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: React.ReactNode;
  className?: string;
  /** While false (e.g. a request is running), Escape and clicks outside do not close it. */
  dismissible?: boolean;
}

/** Renders its children only while open, so forms inside start fresh every time. */
export function Dialog({ open, onOpenChange, children, className, dismissible = true }: DialogProps) {
  const ref = React.useRef<HTMLDialogElement>(null);
  const titleId = React.useId();
  const descriptionId = React.useId();

  React.useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  const requestClose = () => {
    if (dismissible) onOpenChange(false);
  };
  const context = React.useMemo(
    () => ({ titleId, descriptionId, close: () => onOpenChange(false) }),
    [titleId, descriptionId, onOpenChange],
  );

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      className={cn(
        'w-[calc(100%-2rem)] max-w-lg rounded-xl border bg-background p-0 text-foreground shadow-xl backdrop:bg-zinc-950/40 open:animate-fade-in',
        className,
      )}
      onKeyDown={(event) => {
        // Escape is handled here rather than by the browser's close request, which it may not let a page
        // refuse (without a fresh user activation) and which can close a question opened in answer to it.
        if (event.key !== 'Escape' || event.nativeEvent.isComposing) return;
        event.preventDefault();
        event.stopPropagation();
        requestClose();
      }}
      onCancel={(event) => {
        // A close request that cannot be refused: the browser closes the dialog, see onClose.
        if (!event.cancelable) return;
        // Any other close request: closing is React's decision, so the open prop stays the truth.
        event.preventDefault();
        requestClose();
      }}
      onClose={(event) => {
        if (!open) return;
        // The browser closed it by itself (e.g. a second Escape): show it again and ask React, which may
        // keep it open (a form that asks before unsaved edits are lost) or close it.
        event.currentTarget.showModal();
        requestClose();
      }}
      onMouseDown={(event) => {
        // The dialog has no padding of its own, so a press on the element itself is on the backdrop.
        if (event.target === event.currentTarget) requestClose();
      }}
    >
      <DialogContext.Provider value={context}>
        {open ? <div className="relative grid gap-5 p-6">{children}</div> : null}
      </DialogContext.Provider>
    </dialog>
  );
}

export function DialogHeader({ className, ...props }: React.HTMLAttributes<HTMLDivElement>) {
  return <div className={cn('grid gap-1.5 pr-8', className)} {...props} />;
}

export function DialogTitle({ className, ...props }: React.HTMLAttributes<HTMLHeadingElement>) {
  const { titleId } = useDialogContext('DialogTitle');
  return (
    <h2
      id={titleId}
      className={cn('text-lg font-semibold leading-none tracking-tight', className)}
      {...props}
    />
  );
}

export function DialogDescription({ className, ...props }: React.HTMLAttributes<HTMLParagraphElement>) {
  const { descriptionId } = useDialogContext('DialogDescription');
  return <p id={descriptionId} className={cn('text-sm text-muted-foreground', className)} {...props} />;
}

/** The dialog's actions: they stay in view at the bottom while a long form scrolls under them. */
export function DialogFooter({ className, ...props }: React.HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cn(
        'sticky bottom-0 -mx-6 -mb-6 flex flex-col-reverse gap-2 rounded-b-xl border-t bg-background px-6 py-4 sm:flex-row sm:justify-end',
        className,
      )}
      {...props}
    />
  );
}

/** The × in the corner. */
export function DialogCloseButton({ disabled }: { disabled?: boolean }) {
  const { close } = useDialogContext('DialogCloseButton');
  return (
    <button
      type="button"
      aria-label="Close"
      disabled={disabled}
      onClick={close}
      className="absolute right-4 top-4 rounded-md p-1 text-muted-foreground transition-colors hover:bg-accent hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:pointer-events-none disabled:opacity-50"
    >
      <X className="size-4" />
    </button>
  );
}
