export { runSh } from './interpreter.js';
export { MemoryFs } from './fs.js';
export { evaluateTest } from './builtins.js';
export type { ShContext, ShProgram, ShYield } from './context.js';
export { parse } from './parser.js';
export { ShSyntaxError } from './lexer.js';
