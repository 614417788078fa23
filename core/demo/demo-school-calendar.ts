/**
 * The demo town's school calendar (Belleval, académie d'Orléans-Tours, zone B), in the format of the ministry's
 * export, imported at set-up through the administrator's own import. It is the table the app carried in code until
 * the calendar became data, converted once: 2025-2026 as published; 2026-2027 as the code had it (its winter and
 * spring dates were noted as still to check against the arrêté); 2027-2028 the code's estimate, its summer left
 * open. A real town imports the ministry's file instead (Paramètres › Calendrier scolaire).
 */
export const DEMO_SCHOOL_CALENDAR_CSV = `\
Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire
Vacances de la Toussaint;-;2025-10-17T22:00:00+00:00;2025-11-02T23:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Vacances de Noël;-;2025-12-19T23:00:00+00:00;2026-01-04T23:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Vacances d'Hiver;-;2026-02-13T23:00:00+00:00;2026-03-01T23:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Vacances de Printemps;-;2026-04-10T22:00:00+00:00;2026-04-26T22:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Pont de l'Ascension;-;2026-05-13T22:00:00+00:00;2026-05-17T22:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Vacances d'Été;-;2026-07-03T22:00:00+00:00;2026-08-31T22:00:00+00:00;Orléans-Tours;Zone B;2025-2026
Vacances de la Toussaint;-;2026-10-16T22:00:00+00:00;2026-11-01T23:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Vacances de Noël;-;2026-12-18T23:00:00+00:00;2027-01-03T23:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Vacances d'Hiver;-;2027-02-19T23:00:00+00:00;2027-03-07T23:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Vacances de Printemps;-;2027-04-16T22:00:00+00:00;2027-05-02T22:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Pont de l'Ascension;-;2027-05-05T22:00:00+00:00;2027-05-09T22:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Vacances d'Été;-;2027-07-02T22:00:00+00:00;2027-09-01T22:00:00+00:00;Orléans-Tours;Zone B;2026-2027
Vacances de la Toussaint;-;2027-10-22T22:00:00+00:00;2027-11-07T23:00:00+00:00;Orléans-Tours;Zone B;2027-2028
Vacances de Noël;-;2027-12-17T23:00:00+00:00;2028-01-02T23:00:00+00:00;Orléans-Tours;Zone B;2027-2028
Vacances d'Hiver;-;2028-02-04T23:00:00+00:00;2028-02-20T23:00:00+00:00;Orléans-Tours;Zone B;2027-2028
Vacances de Printemps;-;2028-04-07T22:00:00+00:00;2028-04-23T22:00:00+00:00;Orléans-Tours;Zone B;2027-2028
Pont de l'Ascension;-;2028-05-24T22:00:00+00:00;2028-05-28T22:00:00+00:00;Orléans-Tours;Zone B;2027-2028
Début des Vacances d'Été;-;2028-07-07T22:00:00+00:00;2028-07-07T22:00:00+00:00;Orléans-Tours;Zone B;2027-2028
`;
