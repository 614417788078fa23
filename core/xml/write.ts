/**
 * A small XML writer for the files the régie sends out (SEPA pain.008, PES V2): elements built as data, then written
 * with two-space indentation and every text and attribute escaped. Nothing here knows a format.
 */
export interface XmlElement {
  name: string;
  attributes?: Readonly<Record<string, string>>;
  /** Text, child elements, or nothing (an empty element). */
  content?: string | readonly (XmlElement | null)[];
}

/** `el('Nm', 'Ville')`, `el('PmtInf', [el(…), …])`, `el('IdPost', null, { V: '0450000' })`. */
export const el = (
  name: string,
  content?: string | readonly (XmlElement | null)[] | null,
  attributes?: Readonly<Record<string, string>>,
): XmlElement => ({ name, ...(content != null ? { content } : {}), ...(attributes ? { attributes } : {}) });

export const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** The document, its declaration first, a newline at the end. */
export function writeXml(root: XmlElement, encoding = 'UTF-8'): string {
  const out: string[] = [`<?xml version="1.0" encoding="${encoding}"?>`];
  const write = (e: XmlElement, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(e.attributes ?? {})
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (e.content === undefined || (Array.isArray(e.content) && e.content.every((c) => c === null))) {
      out.push(`${pad}<${e.name}${attrs}/>`);
    } else if (typeof e.content === 'string') {
      out.push(`${pad}<${e.name}${attrs}>${escapeXml(e.content)}</${e.name}>`);
    } else {
      out.push(`${pad}<${e.name}${attrs}>`);
      for (const c of e.content) if (c) write(c, depth + 1);
      out.push(`${pad}</${e.name}>`);
    }
  };
  write(root, 0);
  return `${out.join('\n')}\n`;
}

/** Cents as the files write amounts: « 1234.50 », a dot and always two decimals. */
export const decimalAmount = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
