/**
 * Node's flags for the server and worker processes (`npm run start:prod`; the systemd units under `deploy/` and
 * `npm start`'s script in package.json repeat them), measured by `npm run bench -- memory`.
 *
 * `--max-semi-space-size=8` (MB): V8 grows the young generation up to 32 MB per semi-space on this Node and never
 * gives it back, so an idle server kept about 64 MB of young generation it no longer used. With 8 MB the built
 * server is about 10 MB smaller idle and about 40 MB smaller after 4,000 requests, for the same CPU time in that run
 * (4 MB cost about 20 % more CPU time).
 *
 * Not `--enable-source-maps`: Node then reads each bundle's source map at start, about 30 MB more per process. To
 * read stack traces against the sources, start a process with `NODE_OPTIONS=--enable-source-maps`.
 *
 * This file imports nothing, so Node runs the scripts that import it as they are.
 */
export const NODE_MEMORY_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/**
 * `npm start`'s flags: {@link NODE_MEMORY_FLAGS} and `--liftoff-only`, which keeps V8 from compiling PGlite's
 * WebAssembly (PostgreSQL) a second time with its optimizing compiler. That compilation held about 65 MB for good
 * (214 MB instead of 282 MB idle on a seeded folder) and made a peak of 660–790 MB while it ran (233 MB without). Measured
 * on the embedded database: small queries as fast or faster (3.4 ms instead of 13–23 ms in the first seconds, when the
 * optimizing compiler competed for the CPU), less CPU in all (1.1 s instead of 1.8 s for the run), and a sort of
 * 300,000 rows 1.7 times slower (3.1–3.4 s instead of 1.8–1.9 s): a Home's queries are of the first kind. The flag
 * changes nothing else: the server and workers run no WebAssembly.
 */
export const EMBEDDED_NODE_FLAGS: readonly string[] = [...NODE_MEMORY_FLAGS, '--liftoff-only'];
