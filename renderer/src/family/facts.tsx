import type { ReactNode } from 'react';
import './family.css';

export const NotGiven = () => (
  <>
    <span aria-hidden="true" className="muted">
      —
    </span>
    <span className="sr-only">non renseigné</span>
  </>
);

/** A read-only list of labelled values; an empty value reads « non renseigné ». */
export function Facts({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === '' || value === null || value === undefined ? <NotGiven /> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
