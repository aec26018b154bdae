import type { AndOr, Command, List, Pipeline, Redirect, Word } from './ast.js';
import { lex, ShSyntaxError, type Token } from './lexer.js';

const literal = (w: Word): string | undefined => (w.length === 1 && w[0]!.kind === 'expand' && !w[0]!.quoted ? w[0]!.text : undefined);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Parse a script of the sh subset into a list of and-or chains. */
export function parse(script: string): List {
  const tokens = lex(script);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isKeyword = (k: string): boolean => {
    const t = peek();
    return t?.t === 'word' && literal(t.parts) === k;
  };
  const expectKeyword = (k: string): void => {
    if (!isKeyword(k)) throw new ShSyntaxError(`syntax error: expected "${k}"`);
    pos++;
  };
  const skipSeparators = (): void => {
    for (let t = peek(); t !== undefined && (t.t === 'nl' || (t.t === 'op' && (t.v === ';' || t.v === '&'))); t = peek()) pos++;
  };

  const list = (terminators: string[]): List => {
    const items: AndOr[] = [];
    skipSeparators();
    while (pos < tokens.length && !terminators.some(isKeyword) && !(peek()?.t === 'op' && (peek() as { v: string }).v === ')')) {
      items.push(andOr());
      skipSeparators();
    }
    return items;
  };

  const andOr = (): AndOr => {
    const first = pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = peek();
      if (t?.t === 'op' && (t.v === '&&' || t.v === '||')) {
        pos++;
        while (peek()?.t === 'nl') pos++;
        rest.push({ op: t.v, pipeline: pipeline() });
      } else return { first, rest };
    }
  };

  const pipeline = (): Pipeline => {
    let negate = false;
    if (isKeyword('!')) {
      negate = true;
      pos++;
    }
    const commands = [command()];
    while (peek()?.t === 'op' && (peek() as { v: string }).v === '|') {
      pos++;
      commands.push(command());
    }
    return { negate, commands };
  };

  const command = (): Command => {
    if (isKeyword('if')) {
      pos++;
      const branches = [{ cond: list(['then']), body: (expectKeyword('then'), list(['elif', 'else', 'fi'])) }];
      let otherwise: List | undefined;
      for (;;) {
        if (isKeyword('elif')) {
          pos++;
          const cond = list(['then']);
          expectKeyword('then');
          branches.push({ cond, body: list(['elif', 'else', 'fi']) });
        } else if (isKeyword('else')) {
          pos++;
          otherwise = list(['fi']);
        } else break;
      }
      expectKeyword('fi');
      return { kind: 'if', branches, ...(otherwise !== undefined && { otherwise }) };
    }
    if (isKeyword('while') || isKeyword('until')) {
      const until = isKeyword('until');
      pos++;
      const cond = list(['do']);
      expectKeyword('do');
      const body = list(['done']);
      expectKeyword('done');
      return { kind: 'while', until, cond, body };
    }
    if (isKeyword('for')) {
      pos++;
      const v = peek();
      const variable = v?.t === 'word' ? literal(v.parts) : undefined;
      if (variable === undefined) throw new ShSyntaxError('syntax error: bad for loop variable');
      pos++;
      let items: Word[] | undefined;
      skipNewlines();
      if (isKeyword('in')) {
        pos++;
        items = [];
        for (let t = peek(); t?.t === 'word' && !isKeyword('do'); t = peek()) {
          items.push(t.parts);
          pos++;
        }
      }
      skipSeparators();
      expectKeyword('do');
      const body = list(['done']);
      expectKeyword('done');
      return { kind: 'for', variable, items, body };
    }
    if (isKeyword('{')) {
      pos++;
      const body = list(['}']);
      expectKeyword('}');
      return { kind: 'group', body };
    }
    if (peek()?.t === 'op' && (peek() as { v: string }).v === '(') {
      pos++;
      const body = list([]);
      if (!(peek()?.t === 'op' && (peek() as { v: string }).v === ')')) throw new ShSyntaxError('syntax error: missing )');
      pos++;
      return { kind: 'group', body };
    }
    const assignments: Array<{ name: string; value: Word }> = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = peek();
      if (t === undefined || t.t === 'nl' || t.t === 'op') break;
      if (t.t === 'redir') {
        pos++;
        if (t.v === '2>&1' || t.v === '>&2') redirects.push({ op: t.v });
        else {
          const target = peek();
          if (target?.t !== 'word') throw new ShSyntaxError('syntax error: unexpected redirection');
          pos++;
          redirects.push({ op: t.v, target: target.parts });
        }
        continue;
      }
      const first = t.parts[0];
      const m = words.length === 0 && first !== undefined && first.kind === 'expand' && !first.quoted ? ASSIGNMENT.exec(first.text) : null;
      if (m !== null) {
        assignments.push({ name: m[1]!, value: [{ kind: 'expand', text: m[2]!, quoted: true }, ...t.parts.slice(1)] });
      } else words.push(t.parts);
      pos++;
    }
    if (words.length === 0 && assignments.length === 0 && redirects.length === 0) {
      const t = peek();
      throw new ShSyntaxError(`syntax error: unexpected ${t === undefined ? 'end of file' : t.t === 'op' ? `"${t.v}"` : 'newline'}`);
    }
    return { kind: 'simple', assignments, words, redirects };
  };

  function skipNewlines(): void {
    while (peek()?.t === 'nl') pos++;
  }

  const result = list([]);
  if (pos < tokens.length) {
    const t = tokens[pos]!;
    throw new ShSyntaxError(`syntax error: unexpected ${t.t === 'word' ? `"${literal(t.parts) ?? 'word'}"` : t.t === 'op' ? `"${t.v}"` : 'token'}`);
  }
  return result;
}
