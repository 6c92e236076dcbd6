// Reading a bit transition out of rendered text (a hover, a trace): does it show `bit`
// going from `from` to `to`? Accepts the shapes a person reads as such:
//   an arrow next to the bit        "W 0 → 1", "W: 0→1", "W=0 → W=1", "| W | 0 → 1 |"
//   a table with before/after rows   header "… W …", rows "before … 0 …", "after … 1 …"
//   a table with a row per bit       header "bit before after", row "W 0 1"
//   an arrow in the bit's column     header "paths form W D", row "2 present 0→**1** 1"

const ARROW = '(?:→|->)';

function cells(line: string): string[] {
  return line
    .split(/\t|\|/)
    .map((cell) => cell.replace(/\*/g, '').trim()) // markdown bold, the CLI's "changed" star
    .filter((cell) => cell !== '' && !/^:?-+:?$/.test(cell));
}

function arrowForm(text: string, bit: string, from: string, to: string): boolean {
  const b = bit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [
    new RegExp(`(^|[^\\w])${b}\\s*[:=]?\\s*${from}\\s*\\*?\\s*${ARROW}\\s*(${b}\\s*=\\s*)?${to}(?!\\d)`),
    new RegExp(`(^|[\\t|])\\s*${b}\\s*[\\t|]\\s*${from}\\s*${ARROW}\\s*${to}(?!\\d)`),
  ];
  return text.split('\n').some((line) => patterns.some((pattern) => pattern.test(line)));
}

function beforeAfterRows(text: string, bit: string, from: string, to: string): boolean {
  const lines = text.split('\n').map(cells);
  for (let h = 0; h < lines.length; h++) {
    const header = lines[h]!;
    const column = header.indexOf(bit);
    if (column < 0) continue;
    const offset = header.length; // rows may carry a leading label the header lacks
    const valueAt = (row: string[]): string | undefined => row[column + (row.length - offset)];
    const before = lines.slice(h + 1).find((row) => /^before\b/i.test(row[0] ?? ''));
    const after = lines.slice(h + 1).find((row) => /^after\b/i.test(row[0] ?? ''));
    if (before && after && valueAt(before) === from && valueAt(after) === to) return true;
  }
  return false;
}

function bitRows(text: string, bit: string, from: string, to: string): boolean {
  const lines = text.split('\n').map(cells);
  for (let h = 0; h < lines.length; h++) {
    const header = lines[h]!.map((cell) => cell.toLowerCase());
    const b = header.findIndex((cell) => cell.startsWith('before'));
    const a = header.findIndex((cell) => cell.startsWith('after'));
    if (b < 0 || a < 0) continue;
    const row = lines.slice(h + 1).find((r) => r[0] === bit);
    if (row && row[b] === from && row[a] === to) return true;
  }
  return false;
}

function arrowInColumn(text: string, bit: string, from: string, to: string): boolean {
  const lines = text.split('\n').map(cells);
  const arrow = new RegExp(`^${from}\\s*${ARROW}\\s*${to}$`);
  for (let h = 0; h < lines.length; h++) {
    const column = lines[h]!.indexOf(bit);
    if (column < 0) continue;
    const width = lines[h]!.length;
    if (lines.slice(h + 1).some((row) => row.length === width && arrow.test(row[column]!))) return true;
  }
  return false;
}

export function showsTransition(text: string, bit: string, from: string, to: string): boolean {
  return arrowForm(text, bit, from, to) || beforeAfterRows(text, bit, from, to) || bitRows(text, bit, from, to) || arrowInColumn(text, bit, from, to);
}
