import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator, type XmlNode } from 'libxml2-wasm';

/**
 * Tests read the files the régie sends as the receiving side would: libxml2 (compiled to WebAssembly, the
 * libxml2-wasm package) parses them, checks them against a schema, and answers XPath questions.
 */

/** The schema's complaints about `xml`, or [] when it is valid. */
export function schemaProblems(xml: string, xsdPath: string): string[] {
  const xsd = XmlDocument.fromBuffer(readFileSync(xsdPath));
  const validator = XsdValidator.fromDoc(xsd);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return [];
  } catch (error) {
    const details = (error as { details?: { message: string; line: number }[] }).details;
    return details?.map((d) => `ligne ${d.line} : ${d.message.trim()}`) ?? [String(error)];
  } finally {
    validator.dispose();
    xsd.dispose();
    doc.dispose();
  }
}

/** Runs `read` on the parsed document, then frees it. */
export function readXml<T>(xml: string, read: (root: XmlNode) => T): T {
  const doc = XmlDocument.fromString(xml);
  try {
    return read(doc.root);
  } finally {
    doc.dispose();
  }
}
