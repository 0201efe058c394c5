// A member's or key's role as a small label.
import { Badge } from '@/components/ui/badge';
import { ROLE_LABELS } from '@/features/permissions/roles';
import type { Role } from '@/lib/api';

const VARIANT = { owner: 'default', admin: 'blue', member: 'secondary', viewer: 'outline' } as const;

export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={VARIANT[role] ?? 'outline'}>{ROLE_LABELS[role] ?? role}</Badge>;
}
