// Property tests explore new inputs on every local run; in CI they replay a fixed seed, so a red
// run is reproducible and a green one is not luck. FC_SEED picks the seed of a failing run.
import fc from "fast-check";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? 20261125 : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });
