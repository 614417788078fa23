/*
 * The roles and permissions the contract speaks of, with the words the screens and the core's refusals use. Who
 * holds which permission is the core's business (core/auth/roles.ts); the words are the same everywhere.
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

/** What a permission lets one do, worded to follow « ne permet pas de … ». */
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

/** The refusal when a role lacks a permission: the core's answer, and the screen's when it refuses first. */
export const refusedByRole = (roleLabel: string, permission: Permission): string =>
  `Votre rôle (${roleLabel}) ne permet pas de ${PERMISSION_LABELS[permission]}.`;
