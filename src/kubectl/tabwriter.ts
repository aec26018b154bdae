/**
 * Go's text/tabwriter (padchar ' ', no flags), which kubectl prints
 * through: cells end at tabs; consecutive lines with a cell in a column
 * form a block whose width is its widest cell plus `padding` (at least
 * `minwidth`); a line's last cell is never padded. A port of
 * Writer.format, so `describe` lines up as kubectl's does.
 */
export function tabwrite(text: string, minwidth: number, padding: number): string {
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const cells = lines.map((l) => l.split('\t'));
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  const out: string[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = cells[i]!;
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        s += j < widths.length ? c + ' '.repeat(Math.max(0, widths[j]! - width(c))) : c;
      }
      out.push(s);
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= cells[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = minwidth;
      for (; t < line1; t++) {
        const line = cells[t]!;
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]!) + padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, cells.length);
  return out.join('\n') + (trailing ? '\n' : '');
}
