// The frame of the signed-out pages (sign-in, forgotten password, new password, email
// verification): the product's pitch on the left on wide screens, the form on the right.
import * as React from 'react';
import { Link } from 'react-router-dom';
import { Logo } from '@/components/layout/logo';

export function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="grid min-h-screen lg:grid-cols-2">
      {/* Dark in both themes: white and zinc-400 are colours the dark theme does not remap (tailwind.config.js). */}
      <aside className="hidden flex-col justify-between bg-zinc-950 p-10 text-white lg:flex dark:border-r">
        <Logo inverted />
        <div className="max-w-md space-y-4">
          <p className="text-3xl font-semibold leading-tight tracking-tight">
            One bot. Every channel your customers use.
          </p>
          <p className="text-zinc-400">
            Build AI chatbots once and run them on WhatsApp, Telegram, Slack, Messenger, Discord, SMS and your
            own website — on a server you control.
          </p>
        </div>
        <p className="text-sm text-zinc-400">Self-hosted · Open standards · Your data stays yours</p>
      </aside>

      <main className="flex items-center justify-center p-6">
        <div className="w-full max-w-sm space-y-6">
          <div className="lg:hidden">
            <Link to="/" aria-label="Switchboard home">
              <Logo />
            </Link>
          </div>
          {children}
        </div>
      </main>
    </div>
  );
}

/** The page's heading and a line under it. */
export function AuthHeading({ title, description }: { title: string; description?: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
    </div>
  );
}
