export * from './local-date.ts';
export * from './time-zones.ts';
export * from './holidays.ts';
export * from './school-calendar.ts';
export * from './working-days.ts';
export * from './deadlines.ts';
export * from './openings.ts';
export { DEMO_DEADLINES } from './demo-deadlines.ts';
