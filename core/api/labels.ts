/**
 * French names of input fields, so a validation message tells the agent which box to fix.
 * Keyed by the last segment of the field path; a field missing here is shown by its path.
 */
const LABELS: Record<string, string> = {
  householdId: 'foyer',
  guardianId: 'responsable',
  childId: 'enfant',
  pickupPersonId: 'personne autorisée',
  qfId: 'quotient familial',
  name: 'nom du foyer',
  addressLine1: 'adresse',
  addressLine2: "complément d'adresse",
  postalCode: 'code postal',
  city: 'commune',
  email: 'e-mail',
  phone: 'téléphone',
  phoneHome: 'téléphone fixe',
  phoneMobile: 'téléphone portable',
  phoneWork: 'téléphone professionnel',
  payerRank: 'payeur',
  invoiceDelivery: 'envoi des factures',
  rank: 'rang du responsable',
  civility: 'civilité',
  lastName: 'nom',
  firstName: 'prénom',
  relationship: 'lien',
  mayPickUp: 'autorisé à récupérer',
  birthDate: 'date de naissance',
  school: 'école',
  classLevel: 'classe',
  imageConsent: "droit à l'image",
  value: 'valeur du QF',
  source: 'source du QF',
  effectiveMonth: "mois d'effet",
  endMonth: 'fin de validité',
  text: 'recherche',
  limit: 'nombre de résultats',
  guardians: 'responsables',
  children: 'enfants',
  pickupPersons: 'personnes autorisées',
  qf: 'quotient familial',
  paymentId: 'paiement',
  amountCents: 'montant',
  mode: 'mode de paiement',
  cheque: 'chèque',
  number: 'numéro',
  bank: 'banque',
  drawer: 'tireur',
  payeeChecked: 'ordre du chèque vérifié',
  card: 'carte bancaire',
  authorisation: 'référence d’autorisation',
  transaction: 'référence de transaction',
  last4: '4 derniers chiffres',
  vouchers: 'titres',
  faceValueCents: 'valeur du titre',
  count: 'nombre',
  online: 'paiement en ligne',
  reference: 'référence',
  note: 'remarque',
  allocations: 'affectations',
  invoiceId: 'facture',
  override: 'dérogation',
  reason: 'motif',
  username: 'identifiant',
  password: 'mot de passe',
  sessionId: 'caisse',
  floatCents: 'fonds de caisse',
  floatDenominations: 'fonds de caisse compté',
  counted: 'comptage',
  denominationCents: 'coupure',
  paymentIds: 'chèques',
  depositSlipId: 'bordereau',
  from: 'du',
  to: 'au',
  byPayer: 'par payeur',
  duplicate: 'duplicata',
  modes: 'modes acceptés',
  cashLimitCents: 'plafond des espèces',
  cashLimitOverridable: 'dérogation possible',
  cashCeilingCents: 'encaisse maximale',
  counterCode: 'code du guichet',
  timeZone: 'fuseau horaire',
};

const ORDINALS = ['premier', 'deuxième', 'troisième', 'quatrième', 'cinquième'];

/** « nom (enfants, deuxième) » for the path children.1.lastName. */
export function describeField(path: readonly PropertyKey[]): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names.at(-1);
  const label = last === undefined ? 'saisie' : (LABELS[last] ?? last);
  const where: string[] = [];
  path.forEach((p, i) => {
    if (typeof p === 'number') {
      const parent = path[i - 1];
      const parentLabel = typeof parent === 'string' ? (LABELS[parent] ?? parent) : '';
      where.push(`${parentLabel}, ${ORDINALS[p] ?? `n° ${p + 1}`}`);
    }
  });
  return where.length ? `${label} (${where.join(' ; ')})` : label;
}
