import { PERMISSIONS, type Permission, type Role } from '../../shared/roles.ts';

/**
 * Who may do what. Every operation of the registry declares the permission it needs (`permission`);
 * the registry checks it before anything runs, so the UI only hides what the contract refuses anyway. The roles,
 * the permissions and their French words are shared with the screens (shared/roles.ts).
 */
export {
  PERMISSION_LABELS,
  PERMISSIONS,
  refusedByRole,
  ROLE_LABELS,
  ROLES,
  type Permission,
  type Role,
} from '../../shared/roles.ts';

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  agent: ['family.read', 'family.write', 'booking.write', 'booking.override', 'billing.read', 'payment.take'],
  alsh: ['family.read', 'booking.write', 'booking.override', 'attendance', 'health'],
  regisseur: [
    'family.read',
    'family.write',
    'booking.write',
    'booking.override',
    'billing.read',
    'billing.run',
    'payment.take',
    'regie',
  ],
  admin: [...PERMISSIONS],
};

export const can = (role: Role, permission: Permission): boolean =>
  ROLE_PERMISSIONS[role].includes(permission);
