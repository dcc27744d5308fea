/** The oldest Node major version the server, the workers and `npm start` run on (Node 24 LTS). */
export const MIN_NODE_MAJOR = 24;

/**
 * One line saying why this Node cannot run the apps, or `undefined` when it can.
 *
 * @param version `process.version` (`v24.22.3`) or `process.versions.node` (`24.22.3`).
 */
export function unsupportedNodeProblem(version: string, minMajor = MIN_NODE_MAJOR): string | undefined {
  const match = /^v?(\d+)\.\d+\.\d+/.exec(version.trim());
  const major = match ? Number(match[1]) : Number.NaN;
  if (major >= minMajor) return undefined;
  return (
    `Affection Phone needs Node ${minMajor} or newer; this is Node ${version.trim() || '(unknown)'}. ` +
    `Install Node ${minMajor} LTS (the version in .nvmrc) and start again.`
  );
}
