/**
 * Who may do what. Every operation of the registry declares the permission it needs (`permission`);
 * the registry checks it before anything runs, so the UI only hides what the contract refuses anyway.
 */
export const ROLES = ['agent', 'alsh', 'regisseur', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent d’accueil',
  alsh: 'Animateur ALSH',
  regisseur: 'Régisseur',
  admin: 'Administrateur',
};

export const PERMISSIONS = [
  'family.read',
  'family.write',
  'booking.write',
  'booking.override',
  'attendance',
  'health',
  'billing.read',
  'billing.run',
  'payment.take',
  'regie',
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  'family.read': 'consulter les dossiers des familles',
  'family.write': 'modifier les dossiers et les inscriptions',
  'booking.write': 'réserver et annuler',
  'booking.override': 'déroger aux délais de réservation',
  attendance: 'pointer les présences',
  health: 'lire les informations de santé',
  'billing.read': 'consulter les factures',
  'billing.run': 'facturer et émettre des avoirs',
  'payment.take': 'encaisser',
  regie: 'gérer la caisse de la régie',
  admin: 'administrer l’application',
};

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
