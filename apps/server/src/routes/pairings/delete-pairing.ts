import { AppError } from '@affection/core';
import { deletePairing } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { loadPairingBoard } from './load-pairing-board.ts';
import { toPairingDto } from './pairing-dto.ts';
import { PairingSchema, PairingWarningSchema } from './pairing-schemas.ts';
import { warningsAbout } from './pairing-warnings.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/pairings/{id}',
  tags: ['pairings'],
  summary: 'End a pairing; answers with the warnings that now concern the teacher and child',
  request: { params: idParam('par') },
  responses: {
    200: {
      description: 'Ended',
      content: {
        'application/json': {
          schema: z.object({ pairing: PairingSchema, warnings: z.array(PairingWarningSchema) }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /api/pairings/{id}` (admin). */
export function registerDeletePairing(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const { id } = c.req.valid('param');
    const db = c.get('services').database.db;
    const pairing = await deletePairing(db, caller.homeId, id);
    if (!pairing) throw new AppError('not-found', 'No such pairing in your Home.');
    await audit(c, 'pairing.delete', 'child', pairing.childId, { pairingId: pairing.id, staffId: pairing.staffId });
    const board = await loadPairingBoard(db, caller.homeId);
    return c.json({ pairing: toPairingDto(pairing), warnings: warningsAbout(board.warnings, pairing) }, 200);
  });
}
