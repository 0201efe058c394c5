// A member's role: a select limited to the roles the caller may give, or a plain badge when the
// caller may not change this member (their own row, an owner seen by an admin, any row for members).
import { NativeSelect } from '@/components/ui/native-select';
import { RoleBadge } from '@/features/permissions/role-badge';
import { assignableRoles, ROLE_LABELS } from '@/features/permissions/roles';
import type { Member, Role } from '@/lib/api';

interface RoleSelectProps {
  member: Member;
  actorRole: Role;
  isSelf: boolean;
  /** Whether the caller's role may change roles at all (from GET /api/permissions). */
  allowed: boolean;
  disabled?: boolean;
  onChange: (role: Role) => void;
}

export function RoleSelect({ member, actorRole, isSelf, allowed, disabled, onChange }: RoleSelectProps) {
  const options = allowed ? assignableRoles(actorRole, member.role, isSelf) : [];
  if (options.length === 0) return <RoleBadge role={member.role} />;
  return (
    <div className="w-32">
      <NativeSelect
        aria-label={`Role of ${member.name}`}
        className="h-8"
        value={member.role}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value as Role)}
      >
        {options.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
