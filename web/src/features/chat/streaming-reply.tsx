// The pieces of a reply being written, shared by the web chat and the test console: the typing line
// before the first token, the bubble that grows token by token, and the note on an interrupted reply.
import * as React from 'react';
import { AlertTriangle, Loader2, RotateCcw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { ChatBubble } from '@/features/chat/chat-bubble';

export const INTERRUPTED_NOTE = 'The answer was interrupted.';

/** "<name> is typing…" until the first token arrives. */
export function TypingIndicator({ children }: { children: React.ReactNode }) {
  return (
    <p className="flex items-center gap-2 text-xs text-muted-foreground" data-testid="typing-indicator">
      <Loader2 className="size-3.5 animate-spin" /> {children}
    </p>
  );
}

/**
 * The reply so far. Hidden from assistive technology while it grows, so a screen reader is not
 * handed every token: the finished reply replaces it as a new bubble in the conversation's live
 * region and is announced once.
 */
export function StreamingBubble({ text }: { text: string }) {
  return (
    <ChatBubble from="bot" aria-hidden data-state="streaming">
      {text}
      <span className="ml-0.5 inline-block h-3.5 w-1.5 animate-pulse rounded-sm bg-current align-[-2px] opacity-60" />
    </ChatBubble>
  );
}

/** Under a reply that broke off mid-way and was replaced by the bot's fallback message. */
export function InterruptedNote() {
  return (
    <span className="flex items-center gap-1 text-amber-700" data-testid="interrupted-note">
      <AlertTriangle className="size-3.5" aria-hidden />
      {INTERRUPTED_NOTE}
    </span>
  );
}

/** The stream broke before the reply was complete: the visitor's message stays and may be sent again. */
export function RetryButton({ onRetry, disabled }: { onRetry: () => void; disabled?: boolean }) {
  return (
    <Button type="button" variant="outline" size="sm" onClick={onRetry} disabled={disabled}>
      <RotateCcw />
      Retry
    </Button>
  );
}
