/**
 * Valkey's glob matcher (stringmatchlen): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escapes,
 * used by KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and ACL patterns.
 */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  return matchAt(pattern, 0, s, 0, nocase, 0);
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  if (depth > 1000) return false; // like Valkey's nesting limit, against pathological patterns
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) {
        if (matchAt(p, pi + 1, s, k, nocase, depth + 1)) return true;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      pi++;
      const not = p[pi] === '^';
      if (not) pi++;
      let matched = false;
      const ch = fold(s[si], nocase);
      for (;;) {
        if (pi >= p.length) {
          pi--;
          break;
        }
        if (p[pi] === '\\' && pi + 1 < p.length) {
          pi++;
          if (fold(p[pi], nocase) === ch) matched = true;
        } else if (p[pi] === ']') {
          break;
        } else if (p[pi + 1] === '-' && pi + 2 < p.length) {
          let a = fold(p[pi], nocase);
          let b = fold(p[pi + 2], nocase);
          if (a > b) [a, b] = [b, a];
          if (ch >= a && ch <= b) matched = true;
          pi += 2;
        } else if (fold(p[pi], nocase) === ch) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      pi++;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) pi++;
    if (fold(p[pi], nocase) !== fold(s[si], nocase)) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function fold(c: string, nocase: boolean): string {
  return nocase ? c.toLowerCase() : c;
}
