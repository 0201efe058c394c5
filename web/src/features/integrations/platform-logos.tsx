// Each messaging platform's mark, drawn here as simple inline SVG (nothing is fetched): recognisable
// shapes and brand colours, decorative beside the platform's written name.
import type * as React from 'react';

type LogoProps = { className?: string };

function Svg({ className, children }: LogoProps & { children: React.ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export function WhatsAppLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <path fill="#25D366" d="M12 2a10 10 0 0 0-8.6 15.1L2 22l5.1-1.3A10 10 0 1 0 12 2Z" />
      <path
        fill="#fff"
        d="M8.6 6.9c.2 0 .5 0 .7.4l1 2.2c.1.3 0 .5-.1.7l-.6.8c-.1.2-.2.4 0 .6.8 1.5 2 2.6 3.5 3.3.2.1.4 0 .5-.1l.8-1c.2-.2.4-.3.7-.2l2.1 1c.3.1.4.4.3.7-.2 1.2-1.3 2-2.5 2-3.9-.2-7.3-3.6-7.6-7.5 0-1.2.8-2.7 1.2-2.9Z"
      />
    </Svg>
  );
}

export function TelegramLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <circle cx="12" cy="12" r="10" fill="#26A5E4" />
      <path fill="#fff" d="m5.5 11.7 11.2-4.3c.5-.2 1 .1.8.9l-1.9 9c-.1.6-.5.8-1 .5l-2.9-2.1-1.4 1.3c-.2.2-.3.3-.6.3l.2-3 5.4-4.9c.2-.2 0-.3-.3-.1l-6.7 4.2-2.9-.9c-.6-.2-.6-.6.1-.9Z" />
    </Svg>
  );
}

export function SlackLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <rect x="9" y="2" width="3.2" height="9" rx="1.6" fill="#36C5F0" />
      <rect x="2" y="11.8" width="9" height="3.2" rx="1.6" fill="#E01E5A" />
      <rect x="11.8" y="13" width="3.2" height="9" rx="1.6" fill="#ECB22E" />
      <rect x="13" y="9" width="9" height="3.2" rx="1.6" fill="#2EB67D" />
    </Svg>
  );
}

export function MessengerLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <path fill="#0084FF" d="M12 2C6.4 2 2 6.1 2 11.6c0 2.9 1.2 5.4 3.1 7.1V22l3-1.7c1.2.4 2.5.6 3.9.6 5.6 0 10-4.1 10-9.5S17.6 2 12 2Z" />
      <path fill="#fff" d="m6 14.5 3-4.8c.5-.8 1.5-.9 2.2-.4l2.4 1.8 3.3-2.5c.4-.3 1 .2.7.6l-3 4.8c-.5.8-1.5.9-2.2.4L10 12.6l-3.3 2.5c-.4.3-1-.2-.7-.6Z" />
    </Svg>
  );
}

export function DiscordLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <rect x="1" y="1" width="22" height="22" rx="6" fill="#5865F2" />
      <path
        fill="#fff"
        d="M16.9 7.4a12 12 0 0 0-3-.9l-.4.8a11 11 0 0 0-3.1 0L10 6.5a12 12 0 0 0-3 .9C5.1 10.2 4.6 13 4.8 15.7a12 12 0 0 0 3.7 1.9l.8-1.3-1.2-.6.3-.2a8.6 8.6 0 0 0 7.3 0l.3.2-1.2.6.8 1.3a12 12 0 0 0 3.7-1.9c.3-3.1-.5-5.9-2.3-8.3Z"
      />
      <circle cx="9.6" cy="12.9" r="1.2" fill="#5865F2" />
      <circle cx="14.4" cy="12.9" r="1.2" fill="#5865F2" />
    </Svg>
  );
}

export function TwilioLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <circle cx="12" cy="12" r="9" fill="none" stroke="#F22F46" strokeWidth="2.6" />
      <circle cx="9.4" cy="9.4" r="1.7" fill="#F22F46" />
      <circle cx="14.6" cy="9.4" r="1.7" fill="#F22F46" />
      <circle cx="9.4" cy="14.6" r="1.7" fill="#F22F46" />
      <circle cx="14.6" cy="14.6" r="1.7" fill="#F22F46" />
    </Svg>
  );
}

/** Switchboard's own web chat: a chat bubble in the interface's colour. */
export function WebChatLogo({ className }: LogoProps) {
  return (
    <Svg className={className}>
      <path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Z" />
      <circle cx="8" cy="10" r="1.4" className="fill-background" />
      <circle cx="12" cy="10" r="1.4" className="fill-background" />
      <circle cx="16" cy="10" r="1.4" className="fill-background" />
    </Svg>
  );
}
