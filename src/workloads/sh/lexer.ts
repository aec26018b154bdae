/**
 * Tokens of the sh subset: words (with quoting remembered, so "$x" and '$x'
 * expand differently), operators, redirections and newlines.
 */
export type Token =
  | { t: 'word'; parts: WordPart[] }
  | { t: 'op'; v: ';' | '&&' | '||' | '|' | '&' | '(' | ')' }
  | { t: 'redir'; v: '>' | '>>' | '<' | '2>' | '2>&1' | '>&2' }
  | { t: 'nl' };

/** A piece of a word: literal text, or text whose $expansions happen (double quotes and bare words). */
export type WordPart = { kind: 'literal'; text: string } | { kind: 'expand'; text: string; quoted: boolean };

export class ShSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShSyntaxError';
  }
}

const OPERATORS = ['&&', '||', ';', '|', '&', '(', ')'] as const;

export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === '\n') {
      tokens.push({ t: 'nl' });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    if (input.startsWith('2>&1', i)) {
      tokens.push({ t: 'redir', v: '2>&1' });
      i += 4;
      continue;
    }
    if (input.startsWith('>&2', i)) {
      tokens.push({ t: 'redir', v: '>&2' });
      i += 3;
      continue;
    }
    if (input.startsWith('2>', i)) {
      tokens.push({ t: 'redir', v: '2>' });
      i += 2;
      continue;
    }
    if (input.startsWith('>>', i)) {
      tokens.push({ t: 'redir', v: '>>' });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<') {
      tokens.push({ t: 'redir', v: c });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    // A word: runs until unquoted whitespace or an operator.
    const parts: WordPart[] = [];
    let bare = '';
    const flush = (): void => {
      if (bare !== '') parts.push({ kind: 'expand', text: bare, quoted: false });
      bare = '';
    };
    while (i < input.length) {
      const d = input[i]!;
      if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === ';' || d === '&' || d === '|' || d === '(' || d === ')' || d === '<' || d === '>') {
        if (d === '(' && bare.endsWith('$')) {
          // $(( arithmetic )) and $( command ) stay inside the word
          let depth = 0;
          do {
            const e = input[i]!;
            if (e === '(') depth++;
            if (e === ')') depth--;
            bare += e;
            i++;
          } while (i < input.length && depth > 0);
          if (depth > 0) throw new ShSyntaxError("syntax error: unterminated $(");
          continue;
        }
        break;
      }
      if (d === "'") {
        const end = input.indexOf("'", i + 1);
        if (end < 0) throw new ShSyntaxError('syntax error: unterminated quoted string');
        flush();
        parts.push({ kind: 'literal', text: input.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      if (d === '"') {
        let j = i + 1;
        let text = '';
        while (j < input.length && input[j] !== '"') {
          if (input[j] === '\\' && j + 1 < input.length && '"\\$`'.includes(input[j + 1]!)) {
            text += input[j + 1];
            j += 2;
          } else text += input[j++];
        }
        if (j >= input.length) throw new ShSyntaxError('syntax error: unterminated quoted string');
        flush();
        parts.push({ kind: 'expand', text, quoted: true });
        i = j + 1;
        continue;
      }
      if (d === '\\' && i + 1 < input.length) {
        flush();
        parts.push({ kind: 'literal', text: input[i + 1]! });
        i += 2;
        continue;
      }
      bare += d;
      i++;
    }
    flush();
    tokens.push({ t: 'word', parts });
  }
  return tokens;
}
