import type { WordPart } from './lexer.js';

export type Word = WordPart[];

export interface Redirect {
  op: '>' | '>>' | '<' | '2>' | '2>&1' | '>&2';
  target?: Word;
}

export type Command =
  | { kind: 'simple'; assignments: Array<{ name: string; value: Word }>; words: Word[]; redirects: Redirect[] }
  | { kind: 'if'; branches: Array<{ cond: List; body: List }>; otherwise?: List }
  | { kind: 'while'; until: boolean; cond: List; body: List }
  | { kind: 'for'; variable: string; items: Word[] | undefined; body: List }
  | { kind: 'group'; body: List };

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

/** a && b || c: each pipeline with the operator that joins it to the one before. */
export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
}

export type List = AndOr[];
