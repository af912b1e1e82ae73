// Set by the build (scripts/build.js); "dev" when run from source (tests).
declare const __AFU9_VERSION__: string | undefined;
export const VERSION: string = typeof __AFU9_VERSION__ === "string" ? __AFU9_VERSION__ : "dev";
