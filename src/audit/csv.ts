/**
 * CSV as RFC 4180 says (CRLF line ends, fields with a comma, quote, CR or LF quoted, quotes
 * doubled), with cells that a spreadsheet would read as a formula neutralised: a cell beginning
 * with =, +, -, @, a tab or a CR gets a leading apostrophe (OWASP "CSV injection"). Audit text
 * is typed by anyone in Slack, so it must open as text, never run.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // Numbers we write ourselves (ids, levels) are safe; a negative number is not a formula either.
  if (typeof value !== 'number' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
