// The `ringpath` process: bin/ringpath.js runs this file compiled (dist/cli/entry.js),
// or from the sources through tsx.
import { main } from './main.ts';

await main(process.argv);
