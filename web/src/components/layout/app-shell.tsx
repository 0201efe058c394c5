// The signed-in frame: a skip link, sidebar navigation with the organization, a top bar with the user
// menu, and the page itself inside an error boundary.
import * as React from 'react';
import { useMutation } from '@tanstack/react-query';
import {
  Activity,
  BarChart3,
  Bot,
  Building2,
  Cable,
  ChevronsUpDown,
  CreditCard,
  Gauge,
  KeyRound,
  LayoutDashboard,
  LogOut,
  Mailbox,
  Menu,
  MessageSquareText,
  MessagesSquare,
  Monitor,
  Moon,
  ScrollText,
  ShieldCheck,
  UserRound,
  Sun,
  Users,
} from 'lucide-react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { ErrorBoundary } from '@/components/error-boundary';
import { Logo } from '@/components/layout/logo';
import { UserAvatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { useSignedInSession } from '@/features/auth/session';
import { BillingBanners } from '@/features/billing/billing-banners';
import { OrgSwitcher } from '@/features/orgs/org-switcher';
import { Action, usePermissions, type ActionName } from '@/features/permissions/queries';
import { ROLE_LABELS } from '@/features/permissions/roles';
import { useProfile } from '@/features/profile/queries';
import { EmailVerificationBanner } from '@/features/recovery/email-verification-banner';
import { useTheme, type ThemeChoice } from '@/features/theme/theme';
import { api, isApiError, type Session } from '@/lib/api';
import { cn } from '@/lib/utils';

interface NavItem {
  to: string;
  label: string;
  icon: React.ComponentType<{ className?: string }>;
}

interface NavSection {
  title?: string;
  items: NavItem[];
}

/** The links this user may follow: settings pages by the role's permissions, platform pages for admins. */
export function navigation(session: Session, can: (action: ActionName) => boolean): NavSection[] {
  const inOrg = session.organization !== null;
  const settings: NavItem[] = [{ to: '/settings/profile', label: 'Profile', icon: UserRound }];
  if (inOrg) settings.push({ to: '/settings/organization', label: 'Organization', icon: Building2 });
  if (can(Action.apiKeysRead)) settings.push({ to: '/settings/api-keys', label: 'API keys', icon: KeyRound });
  if (can(Action.auditRead)) settings.push({ to: '/settings/audit', label: 'Audit log', icon: ScrollText });
  if (inOrg && can(Action.billingRead)) settings.push({ to: '/billing', label: 'Billing', icon: CreditCard });
  const sections: NavSection[] = [
    {
      items: [
        { to: '/', label: 'Dashboard', icon: LayoutDashboard },
        ...(inOrg ? [{ to: '/team', label: 'Team', icon: Users }] : []),
      ],
    },
    ...(inOrg && can(Action.botsRead)
      ? [
          {
            title: 'Bots',
            items: [
              { to: '/bots', label: 'Bots', icon: Bot },
              { to: '/conversations', label: 'Conversations', icon: MessagesSquare },
              { to: '/templates', label: 'Templates', icon: MessageSquareText },
              ...(can(Action.integrationsRead)
                ? [{ to: '/integrations', label: 'Integrations', icon: Cable }]
                : []),
            ],
          },
        ]
      : []),
    ...(inOrg && (can(Action.jobsRead) || can(Action.analyticsRead))
      ? [
          {
            title: 'Messages',
            items: [
              ...(can(Action.analyticsRead)
                ? [{ to: '/analytics', label: 'Analytics', icon: BarChart3 }]
                : []),
              ...(can(Action.jobsRead) ? [{ to: '/operations', label: 'Operations', icon: Gauge }] : []),
            ],
          },
        ]
      : []),
    { title: 'Settings', items: settings },
  ];
  if (session.user.is_platform_admin) {
    sections.push({
      title: 'Platform',
      items: [
        { to: '/admin', label: 'Admin', icon: ShieldCheck },
        { to: '/debug/mailbox', label: 'Mailbox', icon: Mailbox },
        { to: '/debug', label: 'Debug', icon: Activity },
      ],
    });
  }
  return sections;
}

export function AppShell() {
  const session = useSignedInSession();
  const location = useLocation();
  const { can } = usePermissions();
  const sections = navigation(session, can);

  return (
    <div className="flex min-h-screen">
      <SkipLink />
      <aside className="hidden w-60 shrink-0 border-r bg-zinc-50/70 md:block">
        <div className="sticky top-0 flex h-screen flex-col">
          <div className="flex h-14 items-center px-4">
            <Link to="/" aria-label="Switchboard home">
              <Logo />
            </Link>
          </div>
          <OrgSwitcher session={session} />
          <nav aria-label="Main" className="flex-1 space-y-5 overflow-y-auto px-3 py-4">
            {sections.map((section) => (
              <div key={section.title ?? 'main'} className="space-y-1">
                {section.title ? (
                  <p className="px-2 pb-1 text-xs font-medium text-muted-foreground">{section.title}</p>
                ) : null}
                {section.items.map((item) => (
                  <SidebarLink key={item.to} item={item} />
                ))}
              </div>
            ))}
          </nav>
        </div>
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b bg-background/90 px-4 backdrop-blur md:px-8">
          <MobileNav session={session} sections={sections} />
          <div className="min-w-0 md:hidden">
            <OrgSwitcher session={session} compact />
          </div>
          <p className="hidden truncate text-sm text-muted-foreground md:block">
            {session.organization?.name}
          </p>
          <div className="ml-auto">
            <UserMenu session={session} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-8 focus:outline-none md:px-8">
          <div className="mx-auto max-w-5xl">
            <EmailVerificationBanner className="mb-6" />
            <BillingBanners className="mb-6" />
            <ErrorBoundary resetKey={location.pathname}>
              <Outlet />
            </ErrorBoundary>
          </div>
        </main>
      </div>
    </div>
  );
}

/**
 * The first stop of the keyboard: hidden until focused, it moves the focus past the navigation to the
 * page (without adding #main to the address).
 */
export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only rounded-md bg-background text-sm font-medium shadow-md focus:not-sr-only focus:fixed focus:px-3 focus:py-2 focus:left-4 focus:top-3 focus:z-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2"
      onClick={(event) => {
        const main = document.getElementById('main');
        if (!main) return;
        event.preventDefault();
        main.focus();
      }}
    >
      Skip to content
    </a>
  );
}

function SidebarLink({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <NavLink
      to={item.to}
      end={item.to === '/' || item.to === '/debug'}
      className={({ isActive }) =>
        cn(
          'flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm font-medium transition-colors',
          isActive
            ? 'bg-zinc-200/70 text-foreground'
            : 'text-muted-foreground hover:bg-zinc-200/40 hover:text-foreground',
        )
      }
    >
      <Icon className="size-4" />
      {item.label}
    </NavLink>
  );
}

function MobileNav({ session, sections }: { session: Session; sections: NavSection[] }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <Menu />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-56">
        <DropdownMenuLabel>
          <p className="truncate font-medium">{session.organization?.name ?? 'No organization'}</p>
          {session.role ? (
            <p className="text-xs font-normal text-muted-foreground">{ROLE_LABELS[session.role]}</p>
          ) : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {sections.flatMap((section) =>
          section.items.map((item) => (
            <DropdownMenuItem key={item.to} asChild>
              <Link to={item.to}>
                <item.icon />
                {item.label}
              </Link>
            </DropdownMenuItem>
          )),
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function UserMenu({ session }: { session: Session }) {
  const profile = useProfile();
  const signOut = useMutation({
    mutationFn: api.auth.signOut,
    // A full page load leaves nothing of this user's data in memory.
    onSuccess: () => window.location.assign('/auth'),
    onError: (error) => {
      if (isApiError(error, 401)) window.location.assign('/auth');
    },
  });
  const { user } = session;

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-9 gap-2 px-1.5 md:px-2" aria-label="Open user menu">
          <UserAvatar name={user.name} src={profile.data?.avatar_url} className="size-7" />
          <span className="hidden max-w-40 truncate text-sm md:inline">{user.name}</span>
          <ChevronsUpDown className="hidden text-muted-foreground md:block" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel>
          <p className="truncate font-medium">{user.name}</p>
          <p className="truncate text-xs font-normal text-muted-foreground">{user.email}</p>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/settings/profile">
            <UserRound />
            Profile settings
          </Link>
        </DropdownMenuItem>
        {user.is_platform_admin ? (
          <DropdownMenuItem asChild>
            <Link to="/debug">
              <Activity />
              System health
            </Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <ThemeMenuItems />
        <DropdownMenuSeparator />
        <DropdownMenuItem disabled={signOut.isPending} onSelect={() => signOut.mutate()}>
          <LogOut />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

const THEME_ITEMS: { value: ThemeChoice; label: string; icon: React.ComponentType }[] = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
];

/** Light / Dark / System, the choice kept in this browser (features/theme). */
function ThemeMenuItems() {
  const { choice, setChoice } = useTheme();
  return (
    <>
      <DropdownMenuLabel id="theme-menu-label" className="text-xs font-medium text-muted-foreground">
        Theme
      </DropdownMenuLabel>
      <DropdownMenuRadioGroup
        aria-labelledby="theme-menu-label"
        value={choice}
        onValueChange={(value) => setChoice(value as ThemeChoice)}
      >
        {THEME_ITEMS.map(({ value, label, icon: Icon }) => (
          <DropdownMenuRadioItem key={value} value={value} onSelect={(event) => event.preventDefault()}>
            <Icon />
            {label}
          </DropdownMenuRadioItem>
        ))}
      </DropdownMenuRadioGroup>
    </>
  );
}
