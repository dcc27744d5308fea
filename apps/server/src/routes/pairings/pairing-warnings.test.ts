import { describe, expect, it } from 'vitest';
import { pairingWarnings } from './pairing-warnings.ts';

describe('pairingWarnings', () => {
  it('warns about a teacher with more than 3 active children, not 3', () => {
    const children = ['c1', 'c2', 'c3', 'c4'];
    const three = children.slice(0, 3).map((childId) => ({ staffId: 's1', childId }));
    expect(pairingWarnings({ activeChildIds: children.slice(0, 3), pairings: three })).toEqual([]);
    const four = children.map((childId) => ({ staffId: 's1', childId }));
    expect(pairingWarnings({ activeChildIds: children, pairings: four })).toEqual([
      { code: 'teacher-over-3', staffId: 's1', count: 4 },
    ]);
  });

  it('warns about each active child with no teacher, in the order given', () => {
    expect(
      pairingWarnings({ activeChildIds: ['c2', 'c1', 'c3'], pairings: [{ staffId: 's1', childId: 'c1' }] }),
    ).toEqual([
      { code: 'child-unpaired', childId: 'c2' },
      { code: 'child-unpaired', childId: 'c3' },
    ]);
  });

  it('does not count pairings with archived children', () => {
    const pairings = ['c1', 'c2', 'c3', 'old1', 'old2'].map((childId) => ({ staffId: 's1', childId }));
    expect(pairingWarnings({ activeChildIds: ['c1', 'c2', 'c3'], pairings })).toEqual([]);
  });

  it('counts a child with two teachers once for each teacher', () => {
    const pairings = [
      { staffId: 's1', childId: 'c1' },
      { staffId: 's2', childId: 'c1' },
    ];
    expect(pairingWarnings({ activeChildIds: ['c1'], pairings })).toEqual([]);
  });
});
