export { Initial1764160000000 } from './1764160000000-initial.js';

import { Initial1764160000000 } from './1764160000000-initial.js';

/** In order of application; new migrations are appended here. */
export const ALL_MIGRATIONS = [Initial1764160000000];
