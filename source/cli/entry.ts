// The bundled program's entry: run main, set the exit code, and never leave a stack trace for a
// user error.
import { main } from "./main.js";

// The SDK warns on stderr that releases after January 2027 will need Node 22. On a full-screen
// terminal that text would tear the frame; the README states the Node requirement instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
