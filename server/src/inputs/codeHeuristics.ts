// Cheap guesses: is this line C code or a snip marker; is this path a C file?

const C_KEYWORD_START = /^(if|else|for|while|do|switch|case|default|return|goto|break|continue|struct|union|enum|typedef|static|extern|inline|const|volatile|unsigned|signed|int|long|short|char|bool|void|u8|u16|u32|u64|pte_t|pmd_t|pud_t|spinlock_t)\b/;

/** Whether a line (marker and quote removed) reads like C rather than prose. */
export function looksLikeC(line: string): boolean {
  const t = line.trim();
  if (t === '') return false;
  if (/^(\/\*|\*\/|\*(\s|$)|\/\/|#\s*[a-z]+|[{}])/.test(t)) return true;
  if (/[;{}]$/.test(t) || /\*\/$/.test(t)) return true;
  if (C_KEYWORD_START.test(t) && !/[.!?]$/.test(t)) return true;
  if (/^[A-Za-z_]\w*:$/.test(t)) return true; // label
  // a call or expression continued on the next line: `foo(a, b,` / `(x & y))`
  if (/[,(|&]$/.test(t) || /\)$/.test(t)) {
    return /[A-Za-z_]\w*\s*\(|->|[&|]{2}|==|!=|\b[A-Z][A-Z0-9_]{2,}\b/.test(t) && !/[a-z]{2,}[.!?]\s/.test(t);
  }
  return /^[\w*&()[\]\->.]+\s*([-+*/|&^]?=|\+\+|--)/.test(t); // an assignment
}

/** `[...]`, `[ ... ]`, `[snip]`, `<snip>`, `...`: the writer cut lines here. */
export function isSnipMarker(content: string): boolean {
  const t = content.trim();
  return /^\[\s*(\.{2,}|…|snip(ped)?|\.\.\.\s*snip\s*\.\.\.|cut|trimmed)\s*\]$/i.test(t) || /^<\s*snip(ped)?\s*>$/i.test(t) || /^(\.{3,}|…)$/.test(t);
}

/** C sources and headers; other files in a patch (docs, Kconfig, scripts) are not analysed. */
export function isCPath(path: string): boolean {
  return /\.(c|h|inc)$/i.test(path);
}
