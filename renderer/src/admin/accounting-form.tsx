import { useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { TextField } from '../forms/fields.tsx';
import { refused, saved } from '../forms/save-result.ts';

type Activity = OutputOf<'activities.list'>[number];

/** The activity's accounting codes in words: what the collection report prints beside its total. */
export function accountingWords(a: Activity): string {
  const c = a.settings.accounting;
  if (!c || (!c.imputation && !c.productCode)) return 'aucun (la Trésorerie impute elle-même)';
  return [
    c.imputation ? `imputation ${c.imputation}` : null,
    c.productCode ? `code produit ${c.productCode}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Where the Trésorerie books the activity's receipts: the budget line (imputation budgétaire) and the product code,
 * printed on the collection report's per-activity totals and its CSV.
 */
export function AccountingForm({ activity, onDone }: { activity: Activity; onDone: () => void }) {
  const api = useCounter();
  const announce = useAnnounce();
  const [imputation, setImputation] = useState(activity.settings.accounting?.imputation ?? '');
  const [productCode, setProductCode] = useState(activity.settings.accounting?.productCode ?? '');

  async function save() {
    const r = await api.invoke('admin.setActivityAccounting', {
      activityId: activity.id,
      accounting: { imputation: imputation.trim(), productCode: productCode.trim() },
    });
    if (!r.ok) return refused(r.error);
    announce(`Codes comptables de ${activity.name} enregistrés.`);
    onDone();
    return saved;
  }

  return (
    <EditForm
      label={`Codes comptables de ${activity.name}`}
      onSave={save}
      onCancel={onDone}
      saveLabel="Enregistrer les codes"
    >
      <div className="field-grid">
        <TextField
          name="accounting.imputation"
          label="Imputation budgétaire"
          hint="par exemple 7067-251"
          maxLength={30}
          value={imputation}
          onChange={setImputation}
        />
        <TextField
          name="accounting.productCode"
          label="Code produit"
          hint="vide : aucun"
          maxLength={30}
          value={productCode}
          onChange={setProductCode}
        />
      </div>
    </EditForm>
  );
}
