import { describe, expect, it } from 'vitest';
import { MASKED_SEGMENT, pathForLog } from './path-for-log.ts';

describe('pathForLog', () => {
  it("keeps a route's own words and our ids", () => {
    expect(pathForLog('/api/children/chd_7m2k9x4q1b8c0d5e/export', ['*', '/api/children/:id/export'])).toBe(
      '/api/children/chd_7m2k9x4q1b8c0d5e/export',
    );
  });

  it("masks an enrolment link's secret, codes, names and anything not a route word", () => {
    const token = 'q3Zr-7x_Kp2LmN8vW4yT6uB1cD9eF0gH5iJ3kL7mN2o';
    expect(pathForLog(`/family/enrol/${token}`, ['*', '/family/*'])).toBe(
      `/family/${MASKED_SEGMENT}/${MASKED_SEGMENT}`,
    );
    expect(pathForLog('/api/欧阳娜娜/13812345678/12345678', ['*'])).toBe(
      `/${MASKED_SEGMENT}/${MASKED_SEGMENT}/${MASKED_SEGMENT}/${MASKED_SEGMENT}`,
    );
  });

  it('masks an id-shaped segment with a prefix that is not ours', () => {
    expect(pathForLog('/api/children/abc_7m2k9x4q1b8c0d5e', ['/api/children/:id'])).toBe(
      `/api/children/${MASKED_SEGMENT}`,
    );
  });

  it('never keeps a query string', () => {
    expect(pathForLog('/api/children?search=小雨点', ['/api/children'])).toBe('/api/children');
  });
});
