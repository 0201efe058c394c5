// User avatar on Radix Avatar: the image when it loads, initials otherwise.
import * as React from 'react';
import * as AvatarPrimitive from '@radix-ui/react-avatar';
import { cn, initials } from '@/lib/utils';

interface UserAvatarProps extends React.ComponentPropsWithoutRef<typeof AvatarPrimitive.Root> {
  name: string;
  src?: string | null;
}

export const UserAvatar = React.forwardRef<React.ElementRef<typeof AvatarPrimitive.Root>, UserAvatarProps>(
  ({ name, src, className, ...props }, ref) => (
    <AvatarPrimitive.Root
      ref={ref}
      className={cn('relative flex size-8 shrink-0 overflow-hidden rounded-full text-xs', className)}
      {...props}
    >
      {src ? (
        <AvatarPrimitive.Image src={src} alt="" className="aspect-square size-full object-cover" />
      ) : null}
      <AvatarPrimitive.Fallback className="flex size-full items-center justify-center bg-gradient-to-br from-zinc-700 to-zinc-900 font-medium text-white">
        {initials(name)}
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  ),
);
UserAvatar.displayName = 'UserAvatar';
