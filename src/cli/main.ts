/** The `kefu` process: runs the command line on the process's environment and output. */
import { processIo } from './io.ts';
import { runCli } from './program.ts';

const { code, failed } = await runCli(process.argv.slice(2), processIo());
// An error ends the process at once, whatever is still open; otherwise it ends when its work does
// (`kefu start` keeps serving).
if (failed) process.exit(code);
process.exitCode = code;
