import type Database from 'better-sqlite3';
import { formatShortDate } from '../billing/format.ts';

/** A readable line for the "À régulariser" list: what (the operation's label), for whom, when. */
export function describeCommand(
  raw: Database.Database,
  label: string,
  input: Record<string, unknown>,
): string {
  const parts = [label];
  if (typeof input.amountCents === 'number' && typeof input.householdId === 'string') {
    const h = raw.prepare('SELECT name FROM households WHERE id = ?').get(input.householdId) as
      { name: string } | undefined;
    if (h) parts.push(`famille ${h.name}`);
    parts.push(`${(input.amountCents / 100).toFixed(2).replace('.', ',')} €`);
  }
  // The number on the paper the family or the bank holds: what the régisseur looks for.
  if (typeof input.receiptNumber === 'string') parts.push(`reçu ${input.receiptNumber}`);
  if (typeof input.number === 'string') parts.push(`n° ${input.number}`);
  if (typeof input.childId === 'string') {
    const c = raw.prepare('SELECT first_name, last_name FROM children WHERE id = ?').get(input.childId) as
      { first_name: string; last_name: string } | undefined;
    if (c) parts.push(`${c.first_name} ${c.last_name}`);
  }
  if (typeof input.activityId === 'string') {
    const a = raw.prepare('SELECT name FROM activities WHERE id = ?').get(input.activityId) as
      { name: string } | undefined;
    if (a) parts.push(a.name);
  }
  const s = input.selection as
    | { kind: 'days'; dates: string[] }
    | { kind: 'period'; from: string; to: string }
    | { kind: 'week'; weekStart: string }
    | { kind: 'month'; month: string }
    | undefined;
  if (s?.kind === 'days') parts.push(s.dates.map(formatShortDate).join(', '));
  else if (s?.kind === 'period') parts.push(`du ${formatShortDate(s.from)} au ${formatShortDate(s.to)}`);
  else if (s?.kind === 'week') parts.push(`semaine du ${formatShortDate(s.weekStart)}`);
  else if (s?.kind === 'month') parts.push(`mois ${s.month}`);
  return parts.join(' — ');
}

/** What the agent can do about it. */
export function suggestionFor(status: string, code: string): string {
  if (status === 'held') {
    return 'Paiement conservé tel qu’il a été reçu : la régie l’affectera (avoir pour la famille si la prestation est refusée).';
  }
  switch (code) {
    case 'MODE_REFUSED':
      return 'Rien à défaire : le paiement est enregistré tel que reçu (le mode était accepté au guichet quand il a été pris). Le régisseur le signale au comptable avec la date du changement de règle.';
    case 'CASH_LIMIT':
      return 'Rien à défaire : les espèces ont été reçues sous le plafond alors en vigueur au guichet. Le régisseur le justifie auprès du comptable.';
    case 'OVERRIDE_UNPROVEN':
      return 'Le régisseur nommé confirme qu’il a bien autorisé ce paiement en espèces (sinon, signaler l’anomalie) ; le paiement reste enregistré.';
    case 'TILL_RULE':
    case 'TILL_DIFFERENCE':
      return 'Le régisseur rapproche la caisse de ce jour de son comptage et explique l’écart au comptable.';
    case 'CHEQUE_NOT_PENDING':
    case 'EMPTY_SLIP':
      return 'Comparer le bordereau papier à celui enregistré : un chèque y figure qui était déjà remis ou rendu ; le régisseur corrige la remise avec le comptable.';
    case 'CREDIT_EXCEEDS':
      return 'Deux avoirs portent sur la même facture : le régisseur vérifie avec le comptable et fait régulariser le trop-crédité.';
    case 'NUMBER_TAKEN':
    case 'NUMBER_CHANGED':
    case 'NUMBER_GAP':
      return 'Noter sur le double du document le numéro sous lequel il est enregistré ; le régisseur signale l’anomalie de numérotation au comptable.';
    case 'AS_CREDIT':
      return 'Rien à rembourser : le montant attend sur le compte de la famille et s’imputera sur sa prochaine facture (ou se rembourse sur demande).';
    case 'FULL':
      return 'Complet : proposer un autre jour ou un autre site à la famille, et la prévenir.';
    case 'DEADLINE_PASSED':
    case 'REASON_REQUIRED':
      return 'Hors délai à l’heure du serveur : ressaisir avec un motif de dérogation si le service l’accepte, sinon prévenir la famille.';
    case 'NOT_ENROLLED':
    case 'ENROLMENT_PENDING':
      return 'Inscrire l’enfant ou compléter son dossier, puis réserver à nouveau.';
    case 'ALREADY_BOOKED':
      return 'Déjà réservé sur le serveur (autre guichet ou portail) : vérifier la grille, rien à faire si c’est le même jour.';
    case 'NOT_BOOKED':
      return 'Rien à annuler sur le serveur : vérifier la grille de l’enfant.';
    case 'CLOSED':
      return 'Structure fermée ce jour-là : proposer un autre jour.';
    default:
      return 'Vérifier le dossier après synchronisation et ressaisir l’opération si elle est toujours utile.';
  }
}
