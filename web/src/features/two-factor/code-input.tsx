// The field for a one-time code: the 6 digits of an authenticator app (numeric keyboard, the
// browser's one-time-code autofill) or, with `recovery`, a recovery code such as abcde-12345.
import * as React from 'react';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';

interface CodeInputProps extends React.InputHTMLAttributes<HTMLInputElement> {
  recovery?: boolean;
}

export const CodeInput = React.forwardRef<HTMLInputElement, CodeInputProps>(
  ({ recovery = false, className, ...props }, ref) => (
    <Input
      ref={ref}
      autoComplete={recovery ? 'off' : 'one-time-code'}
      inputMode={recovery ? 'text' : 'numeric'}
      autoCapitalize="none"
      autoCorrect="off"
      spellCheck={false}
      maxLength={recovery ? 16 : 9}
      placeholder={recovery ? 'abcde-12345' : '123456'}
      className={cn('h-10 font-mono text-base tracking-[0.2em]', className)}
      {...props}
    />
  ),
);
CodeInput.displayName = 'CodeInput';
