import type { z } from '@hono/zod-openapi';
import type { PairingSchema } from './pairing-schemas.ts';

/** The shape the routes answer with. */
export function toPairingDto(pairing: {
  id: string;
  staffId: string;
  childId: string;
  createdAt: Date;
}): z.infer<typeof PairingSchema> {
  return {
    id: pairing.id,
    staffId: pairing.staffId,
    childId: pairing.childId,
    createdAt: pairing.createdAt.toISOString(),
  };
}
