import type { Permission, Role } from '../../../core/auth/roles.ts';

// Copies of the core's French labels (core/auth/roles.ts), keyed by the contract's own unions: a role or a
// permission added to the core without a label here fails the typecheck.

export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent d’accueil',
  alsh: 'Animateur ALSH',
  regisseur: 'Régisseur',
  admin: 'Administrateur',
};

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

export const roleOptions = (Object.keys(ROLE_LABELS) as Role[]).map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

/** The sentence the core answers when a role lacks a permission, for refusals the screen sees first. */
export const refusedByRole = (roleLabel: string, permission: Permission): string =>
  `Votre rôle (${roleLabel}) ne permet pas de ${PERMISSION_LABELS[permission]}.`;
