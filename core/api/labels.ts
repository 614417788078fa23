import { ACTIVITY_KIND_LABELS } from '../activities/settings.ts';
import { ROLE_LABELS } from '../auth/roles.ts';
import { MODE_LABELS } from '../payments/modes.ts';
import { KIND_LABELS, STATE_LABELS } from '../requests/words.ts';

/**
 * French names of input fields, so a validation message tells the agent which box to fix, in the screen's words.
 *
 * A key is a field's path without its list positions (« children.birthDate » ends like « birthDate »), optionally
 * preceded by the operation and a space. The most specific entry wins: the longest matching end of the path, and
 * at equal length the operation's own entry. So one key can mean different things (the name of a household, of a
 * site, of an activity's group) without every operation repeating the common cases. Such keys (name, value, kind,
 * code, label, status) have no entry of their own: a new operation using one fails the test until it says what the
 * key means there. core/api/labels.test.ts walks every input schema of the registry and fails on a field missing here.
 */
const LABELS: Record<string, string> = {
  // The family file.
  householdId: 'foyer',
  guardianId: 'responsable',
  childId: 'enfant',
  pickupPersonId: 'personne autorisée',
  qfId: 'quotient familial',
  'family.createHousehold name': 'nom du foyer',
  'family.updateHousehold name': 'nom du foyer',
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
  cafNumber: 'numéro allocataire CAF',
  checkedVia: 'QF consulté sur',
  checkedOn: 'date de consultation du QF',
  rank: 'rang du responsable',
  civility: 'civilité',
  lastName: 'nom',
  firstName: 'prénom',
  relationship: "lien avec l'enfant",
  mayPickUp: 'peut récupérer les enfants',
  birthDate: 'date de naissance',
  school: 'école',
  classLevel: 'classe',
  imageConsent: "droit à l'image",
  'qf.value': 'valeur du QF',
  'family.addQf value': 'valeur du QF',
  'family.updateQf value': 'valeur du QF',
  source: 'source du QF',
  effectiveMonth: "mois d'effet",
  endMonth: 'fin de validité',
  confirmEarlier: 'confirmation du QF antérieur',
  text: 'recherche',
  limit: 'nombre de résultats',
  guardians: 'responsables',
  children: 'enfants',
  pickupPersons: 'personnes autorisées',
  qf: 'quotient familial',
  leftOn: 'date de départ',
  notes: 'informations de santé',
  // The fiche sanitaire.
  pai: 'PAI',
  allergies: 'allergies',
  'health.save meal': 'repas à la cantine',
  treatment: 'traitement, conduite à tenir',
  doctor: 'médecin traitant',
  'health.save notes': 'autres informations',
  recordedByName: 'saisie par',
  since: 'depuis le',

  // Enrolments, bookings and attendance.
  activityId: 'activité',
  siteId: 'site',
  unitId: 'unité',
  unitCode: 'unité',
  unitCodes: 'unités',
  groupId: 'groupe',
  enrolmentId: 'inscription',
  schoolYear: 'année scolaire',
  item: 'pièce du dossier',
  checked: 'pièce vérifiée',
  selection: 'jours demandés',
  'selection.kind': 'choix des jours',
  dates: 'jours',
  weekdays: 'jours de la semaine',
  weekStart: 'semaine',
  month: 'mois',
  origin: 'origine de la demande',
  overrideReason: 'motif de la dérogation',
  date: 'date',
  'attendance.sheet date': 'jour du pointage',
  'attendance.mark date': 'jour du pointage',
  'attendance.mark status': 'présence',
  'attendance.sheetPdf date': 'jour de la feuille',
  'attendance.markAllPresent date': 'jour du pointage',
  childIds: 'enfants',
  'enrolment.end lastDay': 'dernier jour de l’enfant',
  'enrolment.endPreview lastDay': 'dernier jour de l’enfant',
  fromDate: 'à partir du',
  'enrolment.end reason': 'motif de la fin d’inscription',
  'enrolment.endPreview reason': 'motif de la fin d’inscription',
  'enrolment.changeSite reason': 'motif du changement de site',
  'enrolment.siteChangePreview reason': 'motif du changement de site',
  'enrolment.changeSite siteId': 'nouveau site',
  'enrolment.siteChangePreview siteId': 'nouveau site',
  'meals.counts from': 'premier jour',
  'meals.counts to': 'dernier jour',
  'meals.countsPdf from': 'premier jour',
  'meals.countsPdf to': 'dernier jour',

  // Invoices and credit notes.
  'billing.previewMonth month': 'mois facturé',
  'billing.runMonth month': 'mois facturé',
  'billing.monthDelivery month': 'mois facturé',
  'billing.monthPdf month': 'mois facturé',
  'billing.monthPdf order': 'ordre des factures',
  'billing.monthPdf selection': 'factures à imprimer',
  'billing.familyTaxCertificates year': 'année des frais de garde',
  'billing.familyTaxCertificatePdf year': 'année des frais de garde',
  'billing.yearTaxCertificatesPdf year': 'année des frais de garde',
  'billing.yearTaxCertificatesPdf selection': 'attestations à imprimer',
  'payment.emailReceipt to': 'adresse e-mail',
  issueDate: "date d'émission",
  asOf: 'date des impayés',
  invoiceId: 'facture',
  creditNoteId: 'avoir',
  lines: "lignes de l'avoir",
  'lines.invoiceLineId': 'ligne de facture',
  'lines.amountCents': "montant de l'avoir",
  'lines.bookingId': 'réservation',

  // Payments and the till.
  paymentId: 'paiement',
  reversalId: 'écriture de correction',
  creditUseId: 'emploi du crédit',
  amountCents: 'montant',
  mode: 'mode de paiement',
  cheque: 'chèque',
  number: 'numéro du chèque',
  bank: 'banque',
  drawer: 'tireur',
  'cheque.date': 'date du chèque',
  payeeChecked: 'ordre du chèque vérifié',
  card: 'carte bancaire',
  authorisation: 'n° d’autorisation',
  transaction: 'référence de transaction',
  last4: '4 derniers chiffres',
  vouchers: 'titres remis',
  faceValueCents: "valeur d'un titre",
  count: 'nombre',
  online: 'paiement en ligne',
  reference: 'référence du paiement en ligne',
  note: 'note',
  allocations: 'affectations',
  override: 'dérogation',
  'override.reason': 'motif de la dérogation',
  'override.username': 'identifiant du régisseur',
  'override.password': 'mot de passe du régisseur',
  'override.byId': 'régisseur',
  'override.byName': 'nom du régisseur',
  reason: 'motif',
  duplicate: 'duplicata',
  sessionId: 'caisse',
  floatCents: 'fonds de caisse',
  floatDenominations: 'fonds de caisse compté',
  counted: 'comptage',
  denominationCents: 'coupure',
  paymentIds: 'chèques',
  depositSlipId: 'bordereau',
  reprint: 'réédition',
  cardBatchCents: 'total de la télécollecte du terminal',
  payInId: 'versement',
  'regie.payIn amountCents': 'montant versé',
  'regie.payIn reference': 'référence du versement',
  'regie.verifyJournal full': 'vérification complète',
  'settings.accounting': 'codes comptables',
  'accounting.imputation': 'imputation budgétaire',
  'accounting.productCode': 'code produit',
  from: 'du',
  to: 'au',
  byPayer: 'par payeur',
  modes: 'modes acceptés',
  cashLimitCents: 'plafond des espèces',
  cashLimitOverridable: 'dérogation possible',
  cashCeilingCents: 'encaisse maximale',
  counterCode: 'code du guichet',

  // Direct debits (core/directdebit).
  'directDebit.saveSettings name': 'nom du créancier',
  ics: 'identifiant créancier SEPA (ICS)',
  iban: 'IBAN',
  bic: 'BIC',
  'directDebit.saveSettings iban': 'IBAN du compte de la régie',
  'directDebit.saveSettings bic': 'BIC du compte de la régie',
  collectionDay: 'jour de prélèvement',
  channel: 'prélèvements envoyés par',
  mandateId: 'mandat',
  rum: 'référence du mandat (RUM)',
  debtorName: 'titulaire du compte',
  signedOn: 'date de signature',
  firstSequence: 'premier prélèvement ou récurrent',
  revokedOn: 'date de révocation',
  collectionDate: 'date de prélèvement',
  fileId: 'fichier de prélèvement',
  creditor: 'créancier',
  'creditor.name': 'nom du créancier',
  debits: 'prélèvements',
  debitId: 'prélèvement',
  sequence: 'type de prélèvement',
  endToEndId: 'référence du prélèvement',
  reasonCode: 'motif du rejet',
  returnedOn: 'date du rejet',
  'directDebit.createFile month': 'mois prélevé',
  'directDebit.preview month': 'mois prélevé',
  'directDebit.createFile number': 'numéro du fichier',
  'pes.export number': 'numéro de la transmission',

  // PayFiP (core/payfip).
  clientId: 'identifiant collectivité PayFiP',
  csv: 'fichier des paiements en ligne',

  // Exports of titres to the Trésorerie (core/pes).
  postId: 'code du poste comptable',
  siret: 'SIRET de la commune',
  collectivityCode: 'code collectivité',
  budgetCode: 'code budget',
  productCode: 'code produit local',
  nature: 'compte de nature',
  minimumCents: 'seuil de recouvrement',
  exportId: 'transmission',
  titres: 'titres transmis',
  piece: 'pièce',
  line: 'ligne',

  // Accounts and privacy.
  staffId: 'compte',
  username: 'identifiant',
  password: 'mot de passe',
  displayName: 'nom affiché',
  role: 'rôle',
  active: 'compte actif',
  dryRun: 'simulation',
  years: 'années depuis le départ',

  // Families' requests.
  requestId: 'demande',
  'request.submit kind': 'type de demande',
  message: 'message de la famille',
  details: 'détails de la demande',
  fileName: 'nom du fichier',
  base64: 'contenu du document',
  fileType: 'type de fichier',
  reply: 'réponse',
  answeredByName: 'répondu par',
  state: 'état',

  // Sync with the central server.
  commandId: 'opération',
  includeAcknowledged: 'opérations déjà vues',
  serverUrl: 'adresse du serveur',
  credential: 'identifiant du poste',
  deviceId: 'poste',
  deviceName: 'nom du poste',
  seriesPrefix: 'série de numérotation',
  // The « Serveur central » form's own labels, as it shows them beside its two fields.
  'sync.connect serverUrl': 'Adresse du serveur',
  'sync.connect credential': 'Identifiant du poste',

  // The administrator's settings: the town, sites, activities, tariffs.
  townName: 'nom de la commune',
  zone: 'zone de vacances scolaires',
  alsaceMoselle: "jours fériés d'Alsace-Moselle",
  'admin.saveSite name': 'nom du site',
  address: 'adresse du site',
  'admin.saveActivity name': "nom de l'activité",
  'admin.saveActivity code': "code de l'activité",
  'admin.saveActivity kind': "type d'activité",
  sort: "ordre d'affichage",
  units: 'unités',
  'units.code': 'unité',
  'units.label': "libellé de l'unité",
  'units.weekdays': "jours d'accueil",
  siteIds: 'sites',
  groups: 'groupes',
  'groups.name': 'nom du groupe',
  places: 'places',
  'groups.places': 'places du groupe',
  closureId: 'fermeture',
  firstDay: 'premier jour',
  lastDay: 'dernier jour',
  'admin.addClosure label': 'motif',
  'admin.publicHolidays year': 'année',
  'admin.setActivityAccounting accounting': 'codes comptables',
  settings: "réglages de l'activité",
  calendar: 'calendrier',
  granularity: 'réservation par',
  bookingDeadline: 'délai de réservation',
  cancelDeadline: "délai d'annulation",
  'bookingDeadline.kind': 'règle',
  'cancelDeadline.kind': 'règle',
  byWeekday: 'jour limite par jour d’accueil',
  weekday: 'jour limite',
  weeksBefore: 'semaines avant',
  time: 'heure limite',
  hours: 'heures avant le jour',
  workingHoursOnly: 'heures ouvrées seulement',
  days: 'jours ouvrés avant',
  period: 'période réservée',
  workingDays: 'jours ouvrés avant le début',
  'settings.payment': 'paiement',
  lateAdd: 'majoration hors délai',
  unbookedPresence: 'majoration de présence sans réservation',
  'lateAdd.kind': 'type de majoration',
  'unbookedPresence.kind': 'type de majoration',
  percent: 'pourcentage',
  'lateAdd.cents': 'montant ajouté',
  'unbookedPresence.cents': 'montant ajouté',
  byUnit: 'tarif majoré',
  lateCancellationBilled: 'annulation tardive facturée',
  unjustifiedAbsenceBilled: 'absence injustifiée facturée',
  flatFee: 'forfait',
  wholeWeekOneSite: 'semaine entière sur un seul site',
  mealUnits: 'unités avec repas',
  tariffId: 'tarif',
  validFrom: 'valable du',
  validTo: "valable jusqu'au",
  data: 'grille tarifaire',
  'data.mode': 'type de tarif',
  brackets: 'tranches de QF',
  'brackets.min': 'QF minimum',
  'brackets.max': 'QF maximum',
  'brackets.cents': 'prix de la tranche',
  noQf: 'prix sans QF',
  microCentsPerQfPoint: 'prix par point de QF',
  floor: 'prix plancher',
  ceiling: 'prix plafond',
  'data.cents': 'prix',

  // The contract's own check of an input.
  operation: 'opération',
  input: 'saisie',

  // What a counter fixes before logging a fact, so every replay records the same paper.
  receiptNumber: 'numéro de reçu',
  signature: 'signature de la dérogation',
  signedAt: 'heure de la signature',

  // School calendar import.
  fileText: 'fichier du calendrier scolaire',
  area: 'académie ou zone',
  digest: 'aperçu',

  // The town.
  timeZone: 'fuseau horaire',
  // Backups, restore and diagnostics.
  copyDir: 'dossier de copie des sauvegardes',
  'backup.check file': 'sauvegarde',
  'backup.requestRestore file': 'sauvegarde',
  'system.logClientError message': "message d'erreur",
  stack: "détail technique de l'erreur",
  where: 'écran concerné',
};

/** Lists whose first item is « la première », not « le premier ». */
const FEMININE_LISTS = new Set(['pickupPersons', 'units', 'unitCodes', 'lines', 'allocations', 'brackets']);

const ORDINALS = ['deuxième', 'troisième', 'quatrième', 'cinquième', 'sixième'];
const ordinal = (index: number, feminine: boolean): string =>
  index === 0 ? (feminine ? 'première' : 'premier') : (ORDINALS[index - 1] ?? `n° ${index + 1}`);

const WEEKDAY_WORDS: Record<string, string> = {
  1: 'lundi',
  2: 'mardi',
  3: 'mercredi',
  4: 'jeudi',
  5: 'vendredi',
  6: 'samedi',
  7: 'dimanche',
};

/**
 * Fields whose keys are data (a unit, a weekday), not field names: such a key is said in words beside the field's
 * label, as a list position is.
 */
const KEYED_FIELDS: Record<string, (key: string) => string | undefined> = {
  byUnit: (key) => valueWord(key),
  byWeekday: (key) => WEEKDAY_WORDS[key],
};

const lowerFirst = (s: string) => (/^.[a-zà-ÿ]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const lowered = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, lowerFirst(v)]));

/** The French words of values the contract spells as codes: the modules' own labels where they have some. */
const VALUE_WORDS: Record<string, string> = {
  // Units of an activity.
  meal: 'repas',
  morning: 'matin',
  evening: 'soir',
  day: 'journée',
  half_day: 'demi-journée',
  week: 'semaine',
  month: 'mois',
  // An activity's settings.
  school: 'jours d’école',
  holidays: 'vacances scolaires',
  none: 'aucun',
  enrolment: 'inscription seule',
  monthly: 'facture du mois',
  atBooking: 'à la réservation',
  percent: 'pourcentage',
  add: 'montant ajouté',
  price: 'tarif majoré',
  weekdayOfPreviousWeek: 'un jour fixe de la semaine',
  hoursBefore: 'un nombre d’heures avant le jour',
  workingDaysBefore: 'un nombre de jours ouvrés avant le jour',
  beforePeriodStart: 'avant le début de la semaine ou du mois',
  // Tariffs.
  brackets: 'par tranches de QF',
  linear: 'proportionnel au QF',
  flat: 'prix unique',
  // Bookings and attendance.
  days: 'jours choisis',
  period: 'période',
  counter: 'guichet',
  portal: 'portail des familles',
  present: 'présent',
  absent_justified: 'absent justifié',
  absent_unjustified: 'absent non justifié',
  // Meals on the fiche sanitaire.
  standard: 'menu standard',
  without_meat: 'menu sans viande',
  adapted: 'menu adapté',
  packed: 'panier repas',
  // Credit notes.
  whole: 'tout le restant de la facture',
  // Request filter.
  all: 'toutes',
  ...lowered(ACTIVITY_KIND_LABELS),
  ...lowered(MODE_LABELS),
  ...lowered(ROLE_LABELS),
  ...lowered(KIND_LABELS),
  ...lowered(STATE_LABELS),
  // The weekday keys of a deadline rule (1 = Monday).
  ...WEEKDAY_WORDS,
  // A direct debit's sequence type (pain.008 SeqTp).
  FRST: 'premier prélèvement',
  RCUR: 'prélèvement récurrent',
  // School-holiday zones.
  A: 'zone A',
  B: 'zone B',
  C: 'zone C',
};

/** The French word for a value the contract spells as a code (« meal »), for « valeur attendue : repas ou matin ». */
export function valueWord(value: unknown): string | undefined {
  if (typeof value === 'string') return Object.hasOwn(VALUE_WORDS, value) ? VALUE_WORDS[value] : undefined;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** The path's field names, leaving out list positions and the data keys of KEYED_FIELDS. */
function fieldNames(path: readonly PropertyKey[]): string[] {
  return path.filter((p, i): p is string => typeof p === 'string' && !isDataKey(path, i));
}

const isDataKey = (path: readonly PropertyKey[], i: number): boolean => {
  const parent = path[i - 1];
  return typeof parent === 'string' && Object.hasOwn(KEYED_FIELDS, parent) && !isDataKey(path, i - 1);
};

const labelOf = (key: string) => (Object.hasOwn(LABELS, key) ? LABELS[key] : undefined);

/** The field's French label, or undefined when LABELS has none (the test of every schema keeps that from happening). */
export function fieldLabel(path: readonly PropertyKey[], operation?: string): string | undefined {
  const names = fieldNames(path);
  for (let k = names.length; k >= 1; k--) {
    const end = names.slice(-k).join('.');
    const hit = (operation === undefined ? undefined : labelOf(`${operation} ${end}`)) ?? labelOf(end);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * « date de naissance (enfants, deuxième) » for children.1.birthDate, « tarif majoré (repas) » for
 * settings.lateAdd.byUnit.meal: the field's label, then where it sits in lists and keyed fields.
 */
export function describeField(path: readonly PropertyKey[], operation?: string): string {
  const names = fieldNames(path);
  const label = fieldLabel(path, operation) ?? names.at(-1) ?? 'saisie';
  const where: string[] = [];
  path.forEach((p, i) => {
    const parent = path[i - 1];
    const last = i === path.length - 1;
    if (typeof p === 'number') {
      const feminine = typeof parent === 'string' && FEMININE_LISTS.has(parent);
      // An item of the list named by the label itself needs no repeat of the list's name.
      const list = last ? '' : `${fieldLabel(path.slice(0, i), operation) ?? String(parent)}, `;
      where.push(list + ordinal(p, feminine));
    } else if (isDataKey(path, i)) {
      where.push(KEYED_FIELDS[parent as string]!(p as string) ?? String(p));
    }
  });
  return where.length ? `${label} (${where.join(' ; ')})` : label;
}
