// Unsaved edits are never lost silently: a form says whether it holds unsaved changes, and leaving the
// page (a link, the back button, closing or reloading the tab) or closing the form's dialog asks first.
// One router blocker serves every form on the page, because React Router supports one at a time;
// <UnsavedChangesProvider> (components/unsaved-changes-dialog.tsx) owns it and asks the question.
import * as React from 'react';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

export interface UnsavedChangesRegistry {
  /** Records whether the form `id` holds unsaved changes. */
  set(id: string, dirty: boolean): void;
  remove(id: string): void;
  /** Asks before a discard that is not a navigation (e.g. closing a dialog); runs `discard` on "Discard". */
  confirm(discard: () => void): void;
  /**
   * Before an action that leaves every form on the page (e.g. switching organisation): asks first when
   * one holds unsaved changes, then runs `leave`; the navigations `leave` makes until it settles are not
   * asked about again.
   */
  confirmLeave(leave: () => Promise<unknown> | void): void;
}

export const UnsavedChangesContext = React.createContext<UnsavedChangesRegistry | null>(null);

/**
 * For a form: while `dirty`, leaving the page asks "Discard unsaved changes?". Saving (the form is no
 * longer dirty) or discarding clears the guard. `confirmDiscard(close)` asks the same question before
 * the form throws edits away by itself, e.g. when its dialog is closed; with nothing unsaved it closes
 * at once.
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  const registry = React.useContext(UnsavedChangesContext);
  const id = React.useId();
  // Layout effects: a navigation right after an edit already sees it.
  React.useLayoutEffect(() => {
    registry?.set(id, dirty);
  }, [registry, id, dirty]);
  React.useLayoutEffect(() => () => registry?.remove(id), [registry, id]);
  const confirmDiscard = React.useCallback(
    (discard: () => void) => {
      if (dirty && registry) registry.confirm(discard);
      else discard();
    },
    [dirty, registry],
  );
  return { confirmDiscard };
}

/** Runs `leave` (e.g. switching organisation) after asking, when a form on the page holds unsaved changes. */
export function useConfirmLeave() {
  const registry = React.useContext(UnsavedChangesContext);
  return React.useCallback(
    (leave: () => Promise<unknown> | void) => (registry ? registry.confirmLeave(leave) : void leave()),
    [registry],
  );
}

/** The question being asked: open while a navigation is held or a discard waits for an answer. */
export interface UnsavedChangesQuestion {
  open: boolean;
  stay: () => void;
  discard: () => void;
}

/**
 * For the provider: the registry the forms report to, the router blocker (a change of path only: a tab
 * or a filter kept in the query string leaves the form where it is), and the browser's own question
 * before the tab is closed or reloaded.
 */
export function useUnsavedChangesController(): {
  registry: UnsavedChangesRegistry;
  question: UnsavedChangesQuestion;
} {
  const forms = React.useRef(new Map<string, boolean>());
  const [anyDirty, setAnyDirty] = React.useState(false);
  const [pendingDiscard, setPendingDiscard] = React.useState<(() => void) | null>(null);
  // Set while an action the person already confirmed (confirmLeave) navigates away.
  const leaving = React.useRef(false);

  const registry = React.useMemo<UnsavedChangesRegistry>(() => {
    const sync = () => setAnyDirty([...forms.current.values()].some(Boolean));
    return {
      set(id, dirty) {
        forms.current.set(id, dirty);
        sync();
      },
      remove(id) {
        forms.current.delete(id);
        sync();
      },
      confirm(discard) {
        setPendingDiscard(() => discard);
      },
      confirmLeave(leave) {
        const run = () => {
          leaving.current = true;
          Promise.resolve()
            .then(leave)
            .catch(() => {})
            .finally(() => {
              leaving.current = false;
            });
        };
        if ([...forms.current.values()].some(Boolean)) setPendingDiscard(() => run);
        else run();
      },
    };
  }, []);

  // Reads the forms at the moment of the navigation, not as of the last render.
  const shouldBlock = React.useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      !leaving.current &&
      currentLocation.pathname !== nextLocation.pathname &&
      [...forms.current.values()].some(Boolean),
    [],
  );
  const blocker = useBlocker(shouldBlock);

  React.useEffect(() => {
    // Only while something is unsaved: a beforeunload listener keeps some browsers from caching the page.
    if (!anyDirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [anyDirty]);

  const blocked = blocker.state === 'blocked';
  const question = React.useMemo<UnsavedChangesQuestion>(
    () => ({
      open: blocked || pendingDiscard !== null,
      stay: () => {
        if (blocker.state === 'blocked') blocker.reset();
        setPendingDiscard(null);
      },
      discard: () => {
        if (blocker.state === 'blocked') blocker.proceed();
        const discard = pendingDiscard;
        setPendingDiscard(null);
        discard?.();
      },
    }),
    [blocked, blocker, pendingDiscard],
  );
  return { registry, question };
}
