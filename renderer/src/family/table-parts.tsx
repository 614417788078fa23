import type { ReactNode } from 'react';

/** Column headers of a family table; the last column, unlabelled on screen, holds the row's buttons. */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col" key={c}>
            {c}
          </th>
        ))}
        <th scope="col">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

/** A row given over to a form (editing, confirming), across the whole width of a table made with TableHead. */
export function FormRow({ columns, children }: { columns: readonly string[]; children: ReactNode }) {
  return (
    <tr className="editing-row">
      <td colSpan={columns.length + 1}>{children}</td>
    </tr>
  );
}
