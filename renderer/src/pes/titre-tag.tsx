/** « transmise au comptable (PES-2026-000001) »: the invoice is the Trésorerie's to recover since that export. */
export function TitreTag({ exportNumber }: { exportNumber: string | null }) {
  if (!exportNumber) return null;
  return (
    <span className="tag tag-sent" data-testid="titre-sent">
      transmise au comptable ({exportNumber})
    </span>
  );
}
