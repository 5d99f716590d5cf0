// The one table printer of the scripts: aligned plain-text columns for the terminal (bench, soak,
// audit, validate, demo, npm test's summary) and Markdown for the bench report.

export interface TextTableOptions {
  /** Column indexes aligned right (counts). */
  right?: readonly number[];
  /** Wrap cells longer than this at spaces; a row then spans several lines. */
  maxWidth?: number;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = `${line} ${word}`.trim();
    if (next.length > width && line !== '') {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** Columns two spaces apart, a dashed rule under the header (none when `header` is null). */
export function textTable(header: readonly string[] | null, rows: readonly (readonly string[])[], opts: TextTableOptions = {}): string {
  const columns = Math.max(header?.length ?? 0, ...rows.map((r) => r.length));
  const limit = opts.maxWidth ?? Number.POSITIVE_INFINITY;
  const all = header ? [header, ...rows] : rows;
  const widths = Array.from({ length: columns }, (_, i) => Math.min(limit, Math.max(0, ...all.map((r) => (r[i] ?? '').length))));
  const right = new Set(opts.right ?? []);
  const lines = (cells: readonly string[]): string[] => {
    const wrapped = widths.map((w, i) => (Number.isFinite(limit) ? wrap(cells[i] ?? '', w) : [cells[i] ?? '']));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, l) =>
      wrapped.map((w, i) => (right.has(i) ? (w[l] ?? '').padStart(widths[i] ?? 0) : (w[l] ?? '').padEnd(widths[i] ?? 0))).join('  ').trimEnd());
  };
  const head = header ? [...lines(header), widths.map((w) => '-'.repeat(w)).join('  ')] : [];
  return [...head, ...rows.flatMap(lines)].join('\n');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${header.map(escape).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${header.map((_, i) => escape(r[i] ?? '')).join(' | ')} |`),
  ].join('\n');
}
