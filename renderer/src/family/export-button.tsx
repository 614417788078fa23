import { useState } from 'react';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';

/** Right of access (RGPD art. 15): everything the service holds on the household, as a readable JSON file. */
export function ExportHouseholdButton({ householdId }: { householdId: string }) {
  const api = useCounter();
  const announce = useAnnounce();
  const [error, setError] = useState<string | null>(null);

  async function exportFile() {
    const r = await api.invoke('privacy.exportHousehold', { householdId });
    if (!r.ok) {
      setError(r.error.message);
      announce(r.error.message);
      return;
    }
    setError(null);
    const url = URL.createObjectURL(new Blob([r.data.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = r.data.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    announce(`Données du foyer exportées : ${r.data.fileName}.`);
  }

  return (
    <span className="export-household">
      <button type="button" onClick={() => void exportFile()}>
        Exporter les données du foyer
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
