// The dashboard's getting-started checklist through the one API client (GET /api/getting-started).
import { request } from '@/lib/api';

export type GettingStartedKey =
  | 'bot_created'
  | 'template_written'
  | 'platform_connected'
  | 'bot_deployed'
  | 'first_conversation'
  | 'teammate_invited';

export interface GettingStartedStep {
  key: GettingStartedKey;
  done: boolean;
}

export interface GettingStarted {
  steps: GettingStartedStep[];
  completed: number;
  total: number;
}

export const gettingStartedApi = {
  get: () => request<GettingStarted>('GET', '/api/getting-started'),
};
