// How a conversation's platform is named in the UI (the test console is no messaging platform).
import { platformMeta } from '@/features/integrations/platform-meta';

export function platformLabel(platform: string): string {
  return platform === 'console' ? 'Test console' : platformMeta(platform).label;
}
