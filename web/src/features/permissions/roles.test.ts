import { describe, expect, it } from 'vitest';
import { assignableRoles, canRemoveMember, rolesUpTo } from '@/features/permissions/roles';

describe('role limits (mirror the server)', () => {
  it('lets an invitation or API key carry at most the caller’s own role', () => {
    expect(rolesUpTo('owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(rolesUpTo('admin')).toEqual(['admin', 'member', 'viewer']);
    expect(rolesUpTo('member')).toEqual(['member', 'viewer']);
    expect(rolesUpTo('viewer')).toEqual([]);
  });

  it('lets owners give any role, admins anything up to admin, and others nothing', () => {
    expect(assignableRoles('owner', 'member')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles('owner', 'owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles('admin', 'member')).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles('admin', 'admin')).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles('member', 'viewer')).toEqual([]);
    expect(assignableRoles('viewer', 'viewer')).toEqual([]);
  });

  it('never lets an admin touch an owner, and nobody change their own role', () => {
    expect(assignableRoles('admin', 'owner')).toEqual([]);
    expect(assignableRoles('owner', 'owner', true)).toEqual([]);
    expect(assignableRoles('admin', 'admin', true)).toEqual([]);
  });

  it('lets admins remove anyone but owners', () => {
    expect(canRemoveMember('owner', 'owner')).toBe(true);
    expect(canRemoveMember('admin', 'admin')).toBe(true);
    expect(canRemoveMember('admin', 'owner')).toBe(false);
    expect(canRemoveMember('member', 'viewer')).toBe(false);
  });
});
