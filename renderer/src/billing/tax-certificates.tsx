import { useEffect, useId, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { formatShortDate } from '../../../shared/dates.ts';
import { formatEuros } from '../../../shared/money.ts';
import { useCounter } from '../counter-context.ts';
import { useTownClock } from '../town-clock.ts';
import { PrintButton } from './print-button.tsx';

type Certificates = OutputOf<'billing.familyTaxCertificates'>;

/** The years offered: last year first (what January asks for), then this year so far, then three before. */
function yearsOf(today: string): number[] {
  const y = Number(today.slice(0, 4));
  return [y - 1, y, y - 2, y - 3, y - 4];
}

function YearSelect({ value, onChange }: { value: number; onChange: (year: number) => void }) {
  const { today } = useTownClock();
  const id = useId();
  return (
    <div className="field year-field">
      <label htmlFor={id}>Année des frais de garde</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {yearsOf(today).map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </div>
  );
}

const RULE =
  'Pour chaque enfant de moins de 6 ans au 1er janvier : ce que la famille a payé dans l’année pour l’accueil périscolaire, les mercredis et l’accueil de loisirs, repas exclus (CGI art. 200 quater B). Un paiement partiel d’une facture compte au prorata de ses lignes.';

/** The family's childcare tax certificates (Factures tab): what each young child's care cost that was paid. */
export function FamilyTaxCertificates({ householdId }: { householdId: string }) {
  const api = useCounter();
  const { today } = useTownClock();
  const idPrefix = useId();
  const [year, setYear] = useState(() => Number(today.slice(0, 4)) - 1);
  const [answer, setAnswer] = useState<{ key: string; list?: Certificates; error?: string } | null>(null);
  const key = `${householdId}:${year}`;

  useEffect(() => {
    let live = true;
    void api.invoke('billing.familyTaxCertificates', { householdId, year }).then((r) => {
      if (live) setAnswer(r.ok ? { key, list: r.data } : { key, error: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [api, householdId, year, key]);
  const current = answer?.key === key ? answer : null;

  return (
    <section className="card" aria-labelledby={`${idPrefix}-tax`} data-testid="tax-certificates">
      <h2 id={`${idPrefix}-tax`} className="card-title">
        Attestation fiscale — frais de garde
      </h2>
      <p className="field-hint">{RULE}</p>
      <YearSelect value={year} onChange={setYear} />
      {current?.error && <p className="form-error">{current.error}</p>}
      {current?.list && current.list.length === 0 && (
        <p className="muted">
          Aucun frais de garde payé en {year} pour un enfant de moins de 6 ans au 1er janvier.
        </p>
      )}
      {current?.list && current.list.length > 0 && (
        <table className="grid">
          <caption className="sr-only">Frais de garde payés en {year}, par enfant</caption>
          <thead>
            <tr>
              <th scope="col">Enfant</th>
              <th scope="col">Né(e) le</th>
              <th scope="col" className="num">
                Payé en {year}
              </th>
              <th scope="col">
                <span className="sr-only">Imprimer</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {current.list.map((c) => (
              <tr key={c.childId} data-testid="tax-row">
                <th scope="row">{c.childName}</th>
                <td>{formatShortDate(c.birthDate)}</td>
                <td className="num">{formatEuros(c.paidCents)}</td>
                <td className="row-actions">
                  <PrintButton
                    load={() =>
                      api.invoke('billing.familyTaxCertificatePdf', { householdId, year, childId: c.childId })
                    }
                  >
                    Imprimer <span className="sr-only">l’attestation de {c.childName}</span>
                  </PrintButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every family's certificates of a year in one PDF (Facturation screen), for the January post. */
export function YearTaxCertificates() {
  const api = useCounter();
  const { today } = useTownClock();
  const idPrefix = useId();
  const [year, setYear] = useState(() => Number(today.slice(0, 4)) - 1);
  return (
    <section className="card" aria-labelledby={`${idPrefix}-year`} data-testid="year-tax-certificates">
      <h2 id={`${idPrefix}-year`} className="card-title">
        Attestations fiscales de l’année
      </h2>
      <p className="muted">{RULE}</p>
      <p className="muted">
        Une page par enfant, les familles par ordre alphabétique : celles qui ont choisi le papier, et celles
        qui ont choisi l’e-mail sans donner d’adresse. Les autres reçoivent la leur par e-mail du serveur
        central.
      </p>
      <YearSelect value={year} onChange={setYear} />
      <div className="form-actions">
        <PrintButton
          className="primary"
          load={() => api.invoke('billing.yearTaxCertificatesPdf', { year, selection: 'papier' })}
        >
          Imprimer les attestations {year} du courrier (un seul PDF)
        </PrintButton>
      </div>
    </section>
  );
}
