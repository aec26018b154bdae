import type { LoadedScenario } from '../scenario/load.js';

const quote = (v: string) => (/^[A-Za-z0-9_.:@%+=,/-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

/** The command that reproduces one scenario run exactly. */
export const replayCommand = (s: LoadedScenario, seed: string) => `npx crucible replay ${quote(s.file)} --scenario ${quote(s.name)} --seed ${quote(seed)}`;
