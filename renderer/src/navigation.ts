import type { Permission } from '../../shared/roles.ts';

/** The screens the top bar leads to (a family's file is reached by the search). */
export type Place = 'create' | 'requests' | 'attendance' | 'billing' | 'till' | 'admin' | 'settle';

export interface Destination {
  place: Place;
  /** Its button in the top bar. */
  label: string;
  /** Its button on the home page, in the home page's words; none: not offered there. */
  home?: string;
  /** Alt + this letter leads there, wherever the focus is; read on the key's position too (`KeyN`). */
  key?: string;
  /** What the shortcuts' help says the key does. */
  help?: string;
  /** Who may go there: a role holding any of these (the first is named when a shortcut is refused); none: anyone. */
  may?: readonly [Permission, ...Permission[]];
  /** Opened over the current screen, which it goes back to: not marked as the current page. */
  over?: true;
}

/**
 * Every way in, in the top bar's order: its button, its place on the home page, its shortcut and its line in the
 * help, who may use it. A role without the permission sees no button, and is told so when it presses the key.
 */
export const DESTINATIONS: readonly Destination[] = [
  {
    place: 'create',
    label: 'Nouveau foyer',
    home: 'Nouveau foyer',
    key: 'N',
    help: 'Nouveau foyer',
    over: true,
  },
  {
    place: 'requests',
    label: 'Demandes',
    key: 'D',
    help: 'Demandes des familles (annulations, personnes autorisées, documents) ; Alt+A : accepter, Alt+R : refuser',
  },
  {
    place: 'attendance',
    label: 'Pointage',
    home: 'Feuille de pointage',
    key: 'P',
    help: 'Feuille de pointage (présences du jour)',
    may: ['attendance'],
  },
  {
    place: 'billing',
    label: 'Facturation',
    home: 'Facturation',
    key: 'F',
    help: 'Facturation : facture unique du mois, impayés (régisseur)',
    may: ['billing.run'],
  },
  {
    place: 'till',
    label: 'Caisse',
    key: 'C',
    help: 'Caisse : ouvrir, suivre et clôturer la caisse du poste',
    may: ['payment.take', 'regie'],
  },
  { place: 'admin', label: 'Paramètres', home: 'Paramètres', may: ['admin'] },
  { place: 'settle', label: 'À régulariser' },
];

/** Whether a role holding what `can` says may go to `d`. */
export const mayGo = (d: Destination, can: (p: Permission) => boolean): boolean => !d.may || d.may.some(can);

/** « Alt+N » */
export const keyLabel = (d: Destination): string | null => (d.key ? `Alt+${d.key}` : null);

/** The destination Alt+`key` leads to: the letter where the key is (`e.code`), or the one it types. */
export const destinationOfKey = (code: string, key: string): Destination | undefined =>
  DESTINATIONS.find((d) => d.key && (code === `Key${d.key}` || key.toLowerCase() === d.key.toLowerCase()));
