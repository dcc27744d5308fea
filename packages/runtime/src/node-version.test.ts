import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, unsupportedNodeProblem } from './node-version.ts';

describe('unsupportedNodeProblem', () => {
  it('accepts Node 24 and newer, with or without the leading v', () => {
    expect(MIN_NODE_MAJOR).toBe(24);
    expect(unsupportedNodeProblem('v24.22.3')).toBeUndefined();
    expect(unsupportedNodeProblem('24.0.0')).toBeUndefined();
    expect(unsupportedNodeProblem('v25.1.0')).toBeUndefined();
    expect(unsupportedNodeProblem('v100.0.0')).toBeUndefined();
  });

  it('refuses older Node in one line that names both versions and what to do', () => {
    for (const version of ['v20.19.5', 'v22.22.0', '23.11.1', 'v8.0.0']) {
      const problem = unsupportedNodeProblem(version);
      expect(problem).toBe(
        `Affection Phone needs Node 24 or newer; this is Node ${version}. ` +
          'Install Node 24 LTS (the version in .nvmrc) and start again.',
      );
      expect(problem).not.toContain('\n');
    }
  });

  it('refuses a version it cannot read rather than guessing', () => {
    expect(unsupportedNodeProblem('')).toContain('this is Node (unknown)');
    expect(unsupportedNodeProblem('node-twenty-four')).toContain('needs Node 24 or newer');
    expect(unsupportedNodeProblem('v24')).toContain('needs Node 24 or newer');
  });

  it('follows the minimum it is given', () => {
    expect(unsupportedNodeProblem('v24.1.0', 26)).toContain('needs Node 26 or newer');
    expect(unsupportedNodeProblem('v26.0.0', 26)).toBeUndefined();
  });
});
