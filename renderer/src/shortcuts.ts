import { useEffect, useRef } from 'react';
import { DESTINATIONS, destinationOfKey, keyLabel, type Destination } from './navigation.ts';

type Shortcut = readonly [keys: readonly string[], action: string];

/** Every keyboard shortcut of the app, as the help and the home page list them: the keys (« ou » between alternatives), then what they do. */
export const SHORTCUTS: readonly Shortcut[] = [
  [['Ctrl+K'], 'Aller à la recherche des familles, depuis n’importe où'],
  [['↑', '↓', 'Entrée'], 'Parcourir les foyers trouvés, ouvrir le dossier'],
  // The top bar's destinations, from their table.
  ...DESTINATIONS.flatMap((d): Shortcut[] => {
    const key = keyLabel(d);
    return key && d.help ? [[[key], d.help]] : [];
  }),
  [['Alt+E'], 'Dossier de la famille : encaisser un paiement (Entrée : valider, puis imprimer le reçu)'],
  [['Entrée', 'ou', 'Ctrl+Entrée'], 'Enregistrer la section en cours de modification'],
  [['Ctrl+Entrée'], 'Créer le foyer (formulaire « Nouveau foyer »)'],
  [['Échap'], 'Annuler la modification en cours, fermer la liste ou l’aide'],
  [['←', '→', 'Début', 'Fin'], 'Changer d’onglet dans le dossier (Entrée ou Espace : l’ouvrir)'],
  [['←', '↑', '→', '↓'], 'Grille des réservations : passer d’une case à l’autre'],
  [['Espace', 'ou', 'Entrée'], 'Grille des réservations : ajouter la case au panier, ou l’en retirer'],
  [['Page préc.', 'Page suiv.'], 'Grille des réservations : semaine précédente, suivante'],
  [['Alt+V'], 'Valider le panier de réservations'],
  [
    ['↑', '↓', 'Entrée'],
    'Factures : passer d’une facture ou d’une ligne à l’autre, afficher son détail ou son explication',
  ],
  [['P', 'J', 'N'], 'Pointage : présent, absent justifié, absent non justifié, puis enfant suivant'],
  [['Tab', 'ou', 'Maj+Tab'], 'Passer d’un champ ou d’un bouton à l’autre'],
  [['F1', 'ou', '?'], 'Afficher cette aide'],
];

interface Handlers {
  focusSearch: () => void;
  /** Alt+letter of a destination of the top bar (navigation.ts). */
  go: (destination: Destination) => void;
  help: () => void;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** The app-wide keys, listened to on the window so they work whatever has the focus. */
export function useGlobalShortcuts(handlers: Handlers): void {
  const current = useRef(handlers);
  useEffect(() => {
    current.current = handlers;
  });

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const h = current.current;
      const key = e.key.toLowerCase();
      const to = e.altKey && !e.ctrlKey && !e.metaKey ? destinationOfKey(e.code, e.key) : undefined;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && key === 'k') {
        e.preventDefault();
        h.focusSearch();
      } else if (to) {
        e.preventDefault();
        h.go(to);
      } else if (e.key === 'F1' || (e.key === '?' && !e.ctrlKey && !e.altKey && !isTyping(e.target))) {
        e.preventDefault();
        h.help();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
