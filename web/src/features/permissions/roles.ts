// Organisation roles: their order, names and what each one may grant (mirrors the server's rules).
import type { Role } from '@/lib/api';

/** From most to least powerful. */
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Full control, including billing, ownership and deleting the organization.',
  admin: 'Manages the team, API keys and settings; cannot touch owners.',
  member: 'Builds and runs bots; cannot manage the team.',
  viewer: 'Read-only access.',
};

function rank(role: Role): number {
  const index = ROLES.indexOf(role);
  return index === -1 ? ROLES.length : index;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Roles at or below `role`: what an invitation or an API key made by this role may carry. */
export function rolesUpTo(role: Role): Role[] {
  if (role === 'viewer') return [];
  return ROLES.filter((candidate) => rank(candidate) >= rank(role));
}

/**
 * The roles `actor` may give to a member who now has `target`, or [] when the actor may not change
 * this member at all: only owners make or unmake owners; admins manage admins, members and viewers;
 * members and viewers manage nobody; nobody changes their own role (the caller checks `isSelf`).
 */
export function assignableRoles(actor: Role, target: Role, isSelf = false): Role[] {
  if (isSelf) return [];
  if (actor === 'owner') return [...ROLES];
  if (actor === 'admin' && target !== 'owner') return ['admin', 'member', 'viewer'];
  return [];
}

/** Whether `actor` may remove a member who has `target` (leaving is a separate question). */
export function canRemoveMember(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  return actor === 'admin' && target !== 'owner';
}
