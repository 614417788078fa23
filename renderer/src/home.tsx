import { ShortcutList } from './help-dialog.tsx';

/** What the counter shows between two families: how to reach one, and the keys. */
export function Home({
  onCreate,
  onAttendance,
  onBilling,
  onAdmin,
}: {
  onCreate: () => void;
  onAttendance?: () => void;
  onBilling?: () => void;
  onAdmin?: () => void;
}) {
  return (
    <div className="home">
      <h1>Accueil du guichet</h1>
      <p>
        Tapez un nom, un prénom, un téléphone ou une adresse e-mail dans la recherche (<kbd>Ctrl+K</kbd>) :
        les accents et majuscules ne comptent pas.
      </p>
      <p className="home-actions">
        <button type="button" className="primary" onClick={onCreate}>
          Nouveau foyer <kbd>Alt+N</kbd>
        </button>
        {onAttendance && (
          <button type="button" onClick={onAttendance}>
            Feuille de pointage <kbd>Alt+P</kbd>
          </button>
        )}
        {onBilling && (
          <button type="button" onClick={onBilling}>
            Facturation <kbd>Alt+F</kbd>
          </button>
        )}
        {onAdmin && (
          <button type="button" onClick={onAdmin}>
            Paramètres
          </button>
        )}
      </p>
      <p className="muted">
        Dans un dossier, les onglets Inscriptions et Réservations inscrivent un enfant puis réservent pour lui
        : grille des semaines, vue période et panier à valider (<kbd>Alt+V</kbd>). L’onglet Factures liste les
        factures du foyer et explique chaque montant en un clic (<kbd>Entrée</kbd> sur une ligne).
      </p>
      <section aria-labelledby="home-keys" className="card home-keys">
        <h2 id="home-keys">Raccourcis clavier</h2>
        <ShortcutList />
      </section>
    </div>
  );
}
