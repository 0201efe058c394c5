// /platforms: every messaging platform Switchboard supports, and what connecting each one needs.
import type * as React from 'react';
import {
  ArrowRight,
  Globe,
  Hash,
  MessageCircle,
  MessagesSquare,
  Phone,
  Send,
  Smartphone,
} from 'lucide-react';
import { Link } from 'react-router-dom';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

interface Platform {
  id: string;
  name: string;
  icon: React.ComponentType<{ className?: string }>;
  description: string;
  /** Credential field names the integration asks for (docs/api.md). */
  credentials: string[];
  available: boolean;
}

export const PLATFORMS: Platform[] = [
  {
    id: 'webchat',
    name: 'Web chat',
    icon: Globe,
    description: 'A chat bubble for your website and a hosted chat page. Nothing to set up elsewhere.',
    credentials: [],
    available: true,
  },
  {
    id: 'whatsapp',
    name: 'WhatsApp Cloud API',
    icon: Smartphone,
    description: 'Answer customers on WhatsApp through Meta’s Cloud API.',
    credentials: ['access_token', 'phone_number_id', 'app_secret', 'verify_token'],
    available: false,
  },
  {
    id: 'telegram',
    name: 'Telegram',
    icon: Send,
    description: 'A Telegram bot created with @BotFather.',
    credentials: ['bot_token'],
    available: false,
  },
  {
    id: 'slack',
    name: 'Slack',
    icon: Hash,
    description: 'A Slack app that answers in channels and direct messages.',
    credentials: ['bot_token', 'signing_secret'],
    available: false,
  },
  {
    id: 'messenger',
    name: 'Messenger',
    icon: MessageCircle,
    description: 'Answer messages to your Facebook Page.',
    credentials: ['page_access_token', 'page_id', 'app_secret', 'verify_token'],
    available: false,
  },
  {
    id: 'discord',
    name: 'Discord',
    icon: MessagesSquare,
    description: 'A Discord application answering through interactions.',
    credentials: ['application_id', 'public_key', 'bot_token'],
    available: false,
  },
  {
    id: 'twilio',
    name: 'SMS via Twilio',
    icon: Phone,
    description: 'Text messages to and from a Twilio phone number.',
    credentials: ['account_sid', 'auth_token', 'from_number'],
    available: false,
  },
];

export function PlatformsPage() {
  useDocumentTitle('Platforms');
  return (
    <>
      <PageHeader
        title="Platforms"
        description="Where your bots can talk to customers, and what each platform needs from you."
      />
      <div className="grid gap-4 md:grid-cols-2">
        {PLATFORMS.map((platform) => (
          <Card key={platform.id} aria-label={platform.name} className="flex flex-col">
            <CardHeader className="flex-row items-start gap-3 space-y-0">
              <span className="flex size-9 shrink-0 items-center justify-center rounded-md border bg-muted/40">
                <platform.icon className="size-4 text-muted-foreground" />
              </span>
              <div className="min-w-0 flex-1 space-y-1">
                <CardTitle className="flex flex-wrap items-center gap-2">
                  {platform.name}
                  {platform.available ? (
                    <Badge variant="green">Available now</Badge>
                  ) : (
                    <Badge variant="outline">Coming soon</Badge>
                  )}
                </CardTitle>
                <CardDescription>{platform.description}</CardDescription>
              </div>
            </CardHeader>
            <CardContent className="mt-auto space-y-3">
              {platform.credentials.length > 0 ? (
                <div>
                  <p className="mb-1.5 text-xs font-medium text-muted-foreground">You will need</p>
                  <ul className="flex flex-wrap gap-1.5">
                    {platform.credentials.map((field) => (
                      <li key={field}>
                        <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{field}</code>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {platform.available ? (
                <Button asChild size="sm" variant="outline">
                  <Link to="/bots">
                    Deploy a bot to web chat <ArrowRight />
                  </Link>
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Coming soon — connect in Integrations.</p>
              )}
            </CardContent>
          </Card>
        ))}
      </div>
    </>
  );
}
