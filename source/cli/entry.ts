// The bundled program's entry: run main, set the exit code, and never leave a stack trace for a
// user error.
import { main } from "./main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`afu9-tui: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.AFU9_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 3;
  },
);
