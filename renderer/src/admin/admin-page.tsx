import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../../core/contract.ts';
import { useAnnounce } from '../announcer.tsx';
import { useCounter } from '../counter-context.ts';
import { Facts } from '../family/facts.tsx';
import { Section } from '../family/section.tsx';
import { useEditing } from '../family/use-editing.ts';
import { useTownClock } from '../town-clock.ts';
import { checker, hasErrors } from '../forms/checks.ts';
import { EditForm } from '../forms/edit-form.tsx';
import { DateField, SelectField, TextField } from '../forms/fields.tsx';
import { invalid, invalidWithCore, refused, saved } from '../forms/save-result.ts';
import {
  activityKindLabel,
  granularityLabel,
  paymentLabel,
  surchargeLabel,
  weekdaysShort,
  yesNo,
} from '../labels.ts';
import { useQuery } from '../use-query.ts';
import { AccountingForm, accountingWords } from './accounting-form.tsx';
import { CreditorSection } from '../directdebit/creditor-section.tsx';
import { PayfipSection } from '../payfip/payfip-section.tsx';
import { TresorerieSection } from '../pes/tresorerie-section.tsx';
import { BackupsSection } from './backups-section.tsx';
import { OpeningsSection } from './openings-section.tsx';
import { PublicHolidaysSection } from './public-holidays-section.tsx';
import { SitesSection } from './sites-section.tsx';
import { RegieSettingsSection } from './regie-settings-section.tsx';
import { TariffsSection } from './tariffs-section.tsx';
import { UnitsForm } from './units-form.tsx';
import { NewActivityForm } from './new-activity-form.tsx';
import { DeadlinesForm } from './deadlines-form.tsx';
import { HealthLogSection } from './health-log-section.tsx';
import { ServerSection } from '../sync/server-section.tsx';
import { PrivacySection } from './privacy-section.tsx';
import { SchoolCalendarSection } from './school-calendar-section.tsx';
import { StaffSection } from './staff-section.tsx';
import { TimeZoneSection } from './time-zone-section.tsx';
import { formatShortDate } from '../../../shared/dates.ts';
import './admin.css';

type Activity = OutputOf<'activities.list'>[number];

const PARTS = [
  ['activites', 'Activités'],
  ['tarifs', 'Tarifs'],
  ['ouvertures', 'Sites et ouvertures'],
  ['feries', 'Jours fériés'],
  ['calendrier', 'Calendrier scolaire'],
  ['regie', 'Régie'],
  ['commune', 'Commune'],
  ['comptes', 'Comptes'],
  ['sante', 'Journal des consultations santé'],
  ['donnees', 'Données personnelles'],
  ['prelevement', 'Prélèvement'],
  ['tresorerie', 'Trésorerie'],
  ['sauvegardes', 'Sauvegardes'],
  ['serveur', 'Serveur central'],
] as const;
type Part = (typeof PARTS)[number][0];

/**
 * The administrator's screen: the town's activities as configured (units, sites, deadlines in words, payment,
 * surcharges), the capacity of a unit at a site, closures, and each activity's deadlines.
 */
export function AdminPage({ initialPart }: { initialPart?: Part | undefined } = {}) {
  const [part, setPart] = useState<Part>(initialPart ?? 'activites');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <div className="admin">
      <h1 ref={headingRef} tabIndex={-1}>
        Paramètres
      </h1>
      <nav className="admin-nav" aria-label="Parties des paramètres">
        {PARTS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            aria-current={part === id ? 'page' : undefined}
            onClick={() => setPart(id)}
          >
            {label}
          </button>
        ))}
      </nav>
      {part === 'activites' && <ActivitiesPart />}
      {part !== 'activites' && (
        <div className="admin-section">
          {part === 'tarifs' && <TariffsPart />}
          {part === 'ouvertures' && <OpeningsPart />}
          {part === 'feries' && <PublicHolidaysSection onSchoolCalendar={() => setPart('calendrier')} />}
          {part === 'regie' && <RegieSettingsSection />}
          {part === 'calendrier' && <SchoolCalendarSection />}
          {part === 'commune' && <TimeZoneSection />}
          {part === 'comptes' && <StaffSection />}
          {part === 'sante' && <HealthLogSection />}
          {part === 'donnees' && <PrivacySection />}
          {part === 'prelevement' && <CreditorSection />}
          {part === 'tresorerie' && (
            <>
              <TresorerieSection />
              <PayfipSection />
            </>
          )}
          {part === 'sauvegardes' && <BackupsSection />}
          {part === 'serveur' && <ServerSection />}
        </div>
      )}
    </div>
  );
}

/** « Tarifs »: the activities' dated tariffs. */
function TariffsPart() {
  const activities = useQuery('activities.list', {});
  if (activities.error && !activities.data) return <p className="page-error">{activities.error}</p>;
  if (!activities.data) return <p className="muted">Chargement des activités…</p>;
  return <TariffsSection activities={activities.data} />;
}

/** « Sites et ouvertures »: the sites, the closures, and a unit's opening calendar at a site. */
function OpeningsPart() {
  const activities = useQuery('activities.list', {});
  if (activities.error && !activities.data) return <p className="page-error">{activities.error}</p>;
  if (!activities.data) return <p className="muted">Chargement des activités…</p>;
  return (
    <>
      <OpeningsSection activities={activities.data} />
      <SitesSection onChanged={activities.reload} />
    </>
  );
}

/** The town's activities, places and closures: the first part of the settings. */
function ActivitiesPart() {
  const activities = useQuery('activities.list', {});
  const { editing, open, close } = useEditing();

  if (activities.error && !activities.data) return <p className="page-error">{activities.error}</p>;
  const list = activities.data;
  const sites = [
    ...new Map((list ?? []).flatMap((a) => a.sites.map((s) => [s.id, s] as const))).values(),
  ].sort((a, b) => a.name.localeCompare(b.name, 'fr'));

  return (
    <>
      {!list ? (
        <p className="muted">Chargement des activités…</p>
      ) : (
        <div className="admin-columns">
          <div className="column">
            <div className="column-head">
              <h2 className="column-title">Activités ({list.length})</h2>
              {editing !== 'new-activity' && (
                <button type="button" data-focus-key="new-activity" onClick={() => open('new-activity')}>
                  Nouvelle activité
                </button>
              )}
            </div>
            {editing === 'new-activity' && (
              <Section title="Nouvelle activité">
                <NewActivityForm
                  sort={list.length + 1}
                  onCancel={close}
                  onDone={() => {
                    close();
                    activities.reload();
                  }}
                />
              </Section>
            )}
            {list.map((a, i) => (
              <ActivityCard
                key={a.id}
                activity={a}
                sort={i + 1}
                editing={editing === `deadlines:${a.id}`}
                editingAccounting={editing === `accounting:${a.id}`}
                editingUnits={editing === `units:${a.id}`}
                onEdit={() => open(`deadlines:${a.id}`)}
                onEditUnits={() => open(`units:${a.id}`)}
                onEditAccounting={() => open(`accounting:${a.id}`)}
                onDone={() => {
                  close();
                  activities.reload();
                }}
              />
            ))}
          </div>
          <div className="column">
            <h2 className="column-title">Places et fermetures</h2>
            <CapacityForm
              activities={list}
              open={editing === 'capacity'}
              onOpen={() => open('capacity')}
              onClose={close}
            />
            <ClosureForm
              sites={sites}
              open={editing === 'closure'}
              onOpen={() => open('closure')}
              onClose={close}
            />
          </div>
        </div>
      )}
    </>
  );
}

function ActivityCard({
  activity: a,
  sort,
  editing,
  editingAccounting,
  editingUnits,
  onEdit,
  onEditAccounting,
  onEditUnits,
  onDone,
}: {
  activity: Activity;
  sort: number;
  editing: boolean;
  editingAccounting: boolean;
  editingUnits: boolean;
  onEdit: () => void;
  onEditUnits: () => void;
  onEditAccounting: () => void;
  onDone: () => void;
}) {
  const s = a.settings;
  return (
    <Section
      title={a.name}
      actions={
        !editing &&
        !editingAccounting &&
        !editingUnits && (
          <>
            <button type="button" data-focus-key={`units:${a.id}`} onClick={onEditUnits}>
              Unités et sites <span className="sr-only">de {a.name}</span>
            </button>
            {s.granularity !== 'enrolment' && (
              <button type="button" data-focus-key={`deadlines:${a.id}`} onClick={onEdit}>
                Modifier les délais <span className="sr-only">de {a.name}</span>
              </button>
            )}
            <button type="button" data-focus-key={`accounting:${a.id}`} onClick={onEditAccounting}>
              Codes comptables <span className="sr-only">de {a.name}</span>
            </button>
          </>
        )
      }
    >
      <Facts
        items={[
          ['Type', activityKindLabel(a.kind)],
          ['Réservation', granularityLabel(s.granularity)],
          ['Unités', a.units.map((u) => `${u.label} (${weekdaysShort(u.weekdays)})`).join(' · ')],
          ['Sites', a.sites.map((x) => x.name).join(' · ')],
          ['Délai de réservation', a.deadlines.booking],
          ['Délai d’annulation', a.deadlines.cancel],
          ['Paiement', paymentLabel(s.payment)],
          ['Ajout hors délai (agent)', surchargeLabel(s.lateAdd, a.units)],
          ['Présence sans réservation', surchargeLabel(s.unbookedPresence, a.units)],
          ['Annulation tardive facturée', yesNo(s.lateCancellationBilled)],
          ['Codes comptables', accountingWords(a)],
          ['Absence non justifiée facturée', yesNo(s.unjustifiedAbsenceBilled)],
          ...(s.flatFee ? [['Forfait', 'Facturé que l’enfant vienne ou non'] as const] : []),
          ...(a.groups.length
            ? [
                [
                  'Groupes',
                  a.groups
                    .map((g) => (g.places === null ? g.name : `${g.name} (${g.places} places)`))
                    .join(' · '),
                ] as const,
              ]
            : []),
        ]}
      />
      {editing && <DeadlinesForm activity={a} sort={sort} onDone={onDone} />}
      {editingAccounting && <AccountingForm activity={a} onDone={onDone} />}
      {editingUnits && <UnitsForm activity={a} sort={sort} onDone={onDone} />}
    </Section>
  );
}

/** Places of one unit at one site: every day, or one date (a trip, a staff shortage). Empty: no limit. */
interface Opening {
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
}

function CapacityForm({ activities, open, onOpen, onClose }: { activities: readonly Activity[] } & Opening) {
  const api = useCounter();
  const { today } = useTownClock();
  const announce = useAnnounce();
  const withUnits = activities.filter((a) => a.settings.calendar !== 'none');
  const [activityId, setActivityId] = useState(withUnits[0]?.id ?? '');
  const activity = withUnits.find((a) => a.id === activityId);
  const [unitId, setUnitId] = useState('');
  const [siteId, setSiteId] = useState('');
  const [date, setDate] = useState('');
  const [places, setPlaces] = useState('');
  const [inForce, setInForce] = useState<string | null>(null);
  const unit = activity?.units.find((u) => u.id === unitId) ?? activity?.units[0];
  const site = activity?.sites.find((x) => x.id === siteId) ?? activity?.sites[0];
  const [version, setVersion] = useState(0);
  const [last, setLast] = useState<string | null>(null);

  // The places in force today, as the attendance sheet of that site and unit counts them.
  useEffect(() => {
    if (!open || !activity || !unit || !site) return;
    let live = true;
    void api
      .invoke('attendance.sheet', {
        activityId: activity.id,
        siteId: site.id,
        unitCode: unit.code,
        date: today,
      })
      .then((r) => {
        if (live)
          setInForce(r.ok ? (r.data.places === null ? 'sans limite' : `${r.data.places} places`) : null);
      });
    return () => {
      live = false;
    };
  }, [api, open, activity, unit, site, version, today]);

  async function save() {
    if (!activity || !unit || !site) return invalid({});
    const check = checker();
    const iso = date.trim() === '' ? null : check.date('date', date);
    const n = places.trim() === '' ? null : check.integer('places', places);
    if (hasErrors(check.errors)) return invalid(check.errors);
    const r = await api.invoke('admin.setCapacity', {
      siteId: site.id,
      unitId: unit.id,
      date: iso,
      places: n,
    });
    if (!r.ok) return refused(r.error);
    announce(
      `${activity.name}, ${unit.label}, ${site.name}${iso ? ` le ${formatShortDate(iso)}` : ''} : ${
        n === null ? 'sans limite de places' : `${n} place${n > 1 ? 's' : ''}`
      }.`,
    );
    setPlaces('');
    setVersion((v) => v + 1);
    setLast(
      `${activity.name}, ${unit.label}, ${site.name}${iso ? ` le ${formatShortDate(iso)}` : ', tous les jours'} : ${
        n === null ? 'sans limite' : `${n} place${n > 1 ? 's' : ''}`
      }`,
    );
    onClose();
    return saved;
  }

  return (
    <Section
      title="Capacité d’accueil"
      actions={
        !open && (
          <button type="button" data-focus-key="capacity" onClick={onOpen}>
            Modifier une capacité
          </button>
        )
      }
    >
      {!open ? (
        <p className="muted">
          Le nombre de places d’une unité sur un site, tous les jours ou pour une date : au-delà, les
          réservations sont refusées (« complet »).
          {last && (
            <>
              {' '}
              Dernière modification : <strong>{last}</strong>.
            </>
          )}
        </p>
      ) : (
        <EditForm
          label="Capacité d’accueil"
          onSave={save}
          onCancel={onClose}
          saveLabel="Enregistrer la capacité"
        >
          <div className="field-grid">
            <SelectField
              name="activityId"
              label="Activité"
              size="l"
              value={activity?.id ?? ''}
              onChange={(v) => {
                setActivityId(v);
                setUnitId('');
                setSiteId('');
              }}
              options={withUnits.map((a) => ({ value: a.id, label: a.name }))}
            />
            <SelectField
              name="unitId"
              label="Unité"
              value={unit?.id ?? ''}
              onChange={setUnitId}
              options={(activity?.units ?? []).map((u) => ({ value: u.id, label: u.label }))}
            />
            <SelectField
              name="siteId"
              label="Site"
              size="l"
              value={site?.id ?? ''}
              onChange={setSiteId}
              options={(activity?.sites ?? []).map((x) => ({ value: x.id, label: x.name }))}
            />
            <DateField name="date" label="Date (vide : tous les jours)" value={date} onChange={setDate} />
            <TextField
              name="places"
              label="Places (vide : sans limite)"
              size="s"
              inputMode="numeric"
              value={places}
              onChange={setPlaces}
            />
          </div>
          {inForce && (
            <p className="field-hint" data-testid="capacity-in-force">
              En vigueur aujourd’hui : {inForce}.
            </p>
          )}
        </EditForm>
      )}
    </Section>
  );
}

/** A day or days the town (or one site) is closed: no booking is offered, a period skips them with the reason. */
function ClosureForm({
  sites,
  open,
  onOpen,
  onClose,
}: { sites: readonly { id: string; name: string }[] } & Opening) {
  const api = useCounter();
  const announce = useAnnounce();
  const [siteId, setSiteId] = useState('');
  const [firstDay, setFirstDay] = useState('');
  const [lastDay, setLastDay] = useState('');
  const [label, setLabel] = useState('');
  const [added, setAdded] = useState<string[]>([]);

  async function save() {
    const check = checker();
    const first = check.date('firstDay', firstDay);
    const last = lastDay.trim() === '' ? first : check.date('lastDay', lastDay);
    const text = check.text('label', label, true);
    const input = { siteId: siteId === '' ? null : siteId, firstDay: first, lastDay: last, label: text };
    if (hasErrors(check.errors)) return invalidWithCore(api, 'admin.addClosure', input, check.errors);
    const r = await api.invoke('admin.addClosure', input);
    if (!r.ok) return refused(r.error);
    const where = siteId === '' ? 'tous les sites' : (sites.find((s) => s.id === siteId)?.name ?? '');
    const summary = `${text} : ${first === last ? `le ${formatShortDate(first)}` : `du ${formatShortDate(first)} au ${formatShortDate(last)}`}, ${where}`;
    setAdded((list) => [summary, ...list]);
    announce(`Fermeture ajoutée : ${summary}.`);
    setFirstDay('');
    setLastDay('');
    setLabel('');
    onClose();
    return saved;
  }

  return (
    <Section
      title="Fermetures exceptionnelles"
      actions={
        !open && (
          <button type="button" data-focus-key="closure" onClick={onOpen}>
            Ajouter une fermeture
          </button>
        )
      }
    >
      {!open ? (
        <p className="muted">
          Un jour (ou des jours) où la commune ou un site ferme : aucune réservation n’y est proposée et une
          période les saute en disant pourquoi.
        </p>
      ) : (
        <EditForm
          label="Ajouter une fermeture"
          onSave={save}
          onCancel={onClose}
          saveLabel="Ajouter la fermeture"
        >
          <div className="field-grid">
            <SelectField
              name="siteId"
              label="Site"
              size="l"
              value={siteId}
              onChange={setSiteId}
              options={[
                { value: '', label: 'Tous les sites' },
                ...sites.map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
            <DateField
              name="firstDay"
              label="Premier jour"
              required
              value={firstDay}
              onChange={setFirstDay}
            />
            <DateField
              name="lastDay"
              label="Dernier jour"
              hint="vide : un seul jour"
              value={lastDay}
              onChange={setLastDay}
            />
            <TextField
              name="label"
              label="Motif"
              size="l"
              required
              value={label}
              onChange={setLabel}
              maxLength={80}
            />
          </div>
        </EditForm>
      )}
      {added.length > 0 && (
        <>
          <h3 className="sub-title">Ajoutées pendant cette séance</h3>
          <ul className="plain closures">
            {added.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
