import { ShortcutList } from './help-dialog.tsx';
import { keyLabel, type Destination } from './navigation.ts';
import './home.css';

/**
 * What the counter shows between two families: how to reach one, the destinations the role may open (the first,
 * a new household, stands out), and the keys.
 */
export function Home({
  destinations,
  onGo,
}: {
  destinations: readonly Destination[];
  onGo: (destination: Destination) => void;
}) {
  return (
    <div className="home">
      <h1>Accueil du guichet</h1>
      <p>
        Tapez un nom, un prénom, un téléphone ou une adresse e-mail dans la recherche (<kbd>Ctrl+K</kbd>) :
        les accents et majuscules ne comptent pas.
      </p>
      <p className="home-actions">
        {destinations.map((d, i) => {
          const key = keyLabel(d);
          return (
            <button
              key={d.place}
              type="button"
              className={i === 0 ? 'primary' : undefined}
              onClick={() => onGo(d)}
            >
              {d.home}
              {key && (
                <>
                  {' '}
                  <kbd>{key}</kbd>
                </>
              )}
            </button>
          );
        })}
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
