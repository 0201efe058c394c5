// What the UI knows about each messaging platform besides the server's schema: logo, wording, and
// where a test message goes.
import type * as React from 'react';
import { Plug } from 'lucide-react';
import {
  DiscordLogo,
  MessengerLogo,
  SlackLogo,
  TelegramLogo,
  TwilioLogo,
  WebChatLogo,
  WhatsAppLogo,
} from '@/features/integrations/platform-logos';

export interface PlatformMeta {
  label: string;
  icon: React.ComponentType<{ className?: string }>;
  description: string;
  /** Who a test message goes to, and where to find that id. */
  recipientLabel: string;
  recipientHint: string;
  recipientPlaceholder: string;
}

export const PLATFORM_META: Record<string, PlatformMeta> = {
  webchat: {
    label: 'Web chat',
    icon: WebChatLogo,
    description: 'A chat bubble for your website and a hosted chat page. Nothing to set up elsewhere.',
    recipientLabel: 'Recipient',
    recipientHint: '',
    recipientPlaceholder: '',
  },
  whatsapp: {
    label: 'WhatsApp',
    icon: WhatsAppLogo,
    description: 'Answer customers on WhatsApp through Meta’s Cloud API.',
    recipientLabel: 'Phone number',
    recipientHint:
      'In international format without “+”. It must have written to the number in the last 24 hours.',
    recipientPlaceholder: '4915112345678',
  },
  telegram: {
    label: 'Telegram',
    icon: TelegramLogo,
    description: 'A Telegram bot created with @BotFather.',
    recipientLabel: 'Chat id',
    recipientHint: 'The numeric id of a chat that has started your bot, or @channelusername.',
    recipientPlaceholder: '123456789',
  },
  slack: {
    label: 'Slack',
    icon: SlackLogo,
    description: 'A Slack app that answers in channels and direct messages.',
    recipientLabel: 'Channel id',
    recipientHint: 'A channel the app is in (C…) or a user id (U…) for a direct message.',
    recipientPlaceholder: 'C0123456789',
  },
  messenger: {
    label: 'Messenger',
    icon: MessengerLogo,
    description: 'Answer messages to your Facebook Page.',
    recipientLabel: 'Page-scoped user id (PSID)',
    recipientHint: 'The id of someone who messaged your Page in the last 24 hours.',
    recipientPlaceholder: '6543210987654321',
  },
  discord: {
    label: 'Discord',
    icon: DiscordLogo,
    description: 'A Discord application answering through interactions.',
    recipientLabel: 'Channel id',
    recipientHint: 'Right-click a channel the bot can post in and choose Copy Channel ID.',
    recipientPlaceholder: '123456789012345678',
  },
  twilio: {
    label: 'Twilio SMS',
    icon: TwilioLogo,
    description: 'Text messages to and from a Twilio phone number.',
    recipientLabel: 'Phone number',
    recipientHint: 'In E.164 format. A trial account only sends to verified numbers.',
    recipientPlaceholder: '+15551234567',
  },
};

/** Meta for any platform, including one the server added after this UI was built. */
export function platformMeta(platform: string, serverName?: string): PlatformMeta {
  return (
    PLATFORM_META[platform] ?? {
      label: serverName ?? platform,
      icon: Plug,
      description: '',
      recipientLabel: 'Recipient',
      recipientHint: 'Who receives the message, as the platform names them.',
      recipientPlaceholder: '',
    }
  );
}

/** The display order of platforms: web chat first, then the order above. */
export const PLATFORM_ORDER = Object.keys(PLATFORM_META);
