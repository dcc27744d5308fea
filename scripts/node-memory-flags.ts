/**
 * Node's flags for the server and worker processes (`npm run start:prod`, the systemd units under `deploy/`, and
 * `npm start`'s script in package.json, which repeat them), measured by `npm run bench -- memory`.
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
