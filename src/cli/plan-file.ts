import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { checkPlan, type FaultPlan, type Hosts } from '../faults/index.js';

/** A user's input file could not be used; the message names the file and the place in it. */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

/**
 * Read a fault plan from a YAML or JSON file: either a list of faults or an
 * object with a `faults` list. Every problem is reported with the file name
 * and the path inside it.
 */
export function loadPlanFile(file: string, hosts: Hosts): FaultPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserInputError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file });
  } catch (e) {
    const err = e as yaml.YAMLException;
    const where = err.mark ? `${file}:${err.mark.line + 1}:${err.mark.column + 1}` : file;
    throw new UserInputError(`${where}: not valid YAML: ${err.reason}`);
  }
  const list = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'faults' in doc ? (doc as { faults: unknown }).faults : doc;
  const issues = checkPlan(list, hosts, 'faults');
  if (issues.length > 0) throw new UserInputError(issues.map((i) => `${file}: ${i.path}: ${i.message}`).join('\n'));
  return list as FaultPlan;
}
