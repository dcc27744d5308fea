import { AppError } from '@affection/core';
import { createPairing, getChild, getStaff } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { fieldProblem } from '../contacts/field-problem.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { loadPairingBoard } from './load-pairing-board.ts';
import { toPairingDto } from './pairing-dto.ts';
import { CreatePairingSchema, PairingSchema, PairingWarningSchema } from './pairing-schemas.ts';
import { warningsAbout } from './pairing-warnings.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/pairings',
  tags: ['pairings'],
  summary: 'Pair a teacher with a child; answers with the warnings that now concern them',
  request: { body: { required: true, content: { 'application/json': { schema: CreatePairingSchema } } } },
  'x-refusals': refusals('pairing', 'staff-inactive', 'child-archived', 'already-paired'),
  responses: {
    201: {
      description: 'Paired',
      content: {
        'application/json': {
          schema: z.object({ pairing: PairingSchema, warnings: z.array(PairingWarningSchema) }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/**
 * `POST /api/pairings` (admin: the Home's admin decides the pairs; teachers see them). Both must be in
 * the caller's Home (else 404); a second time is 409.
 */
export function registerCreatePairing(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const input = c.req.valid('json');
    const db = c.get('services').database.db;
    const [member, child] = await Promise.all([
      getStaff(db, caller.homeId, input.staffId),
      getChild(db, caller.homeId, input.childId),
    ]);
    if (!member) throw new AppError('not-found', 'No such member of staff in your Home.');
    if (!child || child.erasedAt) throw new AppError('not-found', 'No such child in your Home.');
    if (!member.active) {
      throw new AppError('unprocessable', "This teacher's account is switched off.", {
        userMessageKey: 'error.pairing.staff-inactive',
        details: { reason: 'staff-inactive' },
      });
    }
    if (child.archivedAt) {
      throw new AppError('unprocessable', 'This child is archived.', {
        userMessageKey: 'error.pairing.child-archived',
        details: { reason: 'child-archived' },
      });
    }
    const result = await createPairing(db, caller.homeId, input);
    if (!result.ok) {
      throw new AppError('conflict', 'This teacher is already paired with this child.', {
        userMessageKey: 'error.pairing.already-paired',
        details: { reason: 'already-paired', fields: [fieldProblem('childId', 'error.pairing.already-paired')] },
      });
    }
    await audit(c, 'pairing.create', 'child', child.id, { pairingId: result.pairing.id, staffId: member.id });
    const board = await loadPairingBoard(db, caller.homeId);
    return c.json({ pairing: toPairingDto(result.pairing), warnings: warningsAbout(board.warnings, input) }, 201);
  });
}
