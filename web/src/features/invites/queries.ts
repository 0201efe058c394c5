// An invitation seen through its link: the public preview, and accepting it.
import { useQuery } from '@tanstack/react-query';
import { api, type InvitePreview } from '@/lib/api';

export const invitePreviewKey = (token: string) => ['invite-preview', token] as const;

export function useInvitePreview(token: string) {
  return useQuery({
    queryKey: invitePreviewKey(token),
    queryFn: () => api.invites.preview(token),
    staleTime: Infinity,
  });
}

/** Who sent the invitation, whichever shape the preview gives it in. */
export function inviterName(preview: InvitePreview): string | null {
  const { invited_by: inviter } = preview;
  if (!inviter) return null;
  return typeof inviter === 'string' ? inviter : inviter.name;
}

export function sameEmail(a: string, b: string) {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
