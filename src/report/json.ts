import type { Reporter } from './model.js';

/** report.json: the model itself; `crucible report` renders the others from it. */
export const jsonReporter: Reporter = { file: 'report.json', render: (report) => `${JSON.stringify(report, null, 2)}\n` };
