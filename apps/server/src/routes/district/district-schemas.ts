import { z } from '@hono/zod-openapi';
import { idOf, TimeZoneSchema, textOf } from '../common-schemas.ts';
import { NewPasswordSchema, StaffSchema, UsernameSchema } from '../staff/staff-schemas.ts';

/** One Home of the district with its reach over the period asked for (counted as the Home's own report counts it). */
export const DistrictHomeSchema = z
  .object({
    id: z.string().openapi({ example: 'hom_7m2k9x4q1b8c0d5e' }),
    name: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }),
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    createdAt: z.string().datetime(),
    reach: z.object({
      children: z.number().int().openapi({ description: 'Children on the roll at some time in the period' }),
      childrenReached: z.number().int().openapi({ description: 'Children with at least one completed call' }),
      reachedPercent: z.number().nullable().openapi({ description: 'One decimal; null with no children' }),
      callsBooked: z.number().int(),
      callsCompleted: z.number().int(),
    }),
  })
  .openapi('DistrictHome');

/** Answer of `GET /api/district/homes`. */
export const DistrictHomesSchema = z
  .object({
    district: z.object({ id: z.string(), name: z.string() }),
    period: z.object({ from: z.string(), to: z.string() }),
    /** The Home this session acts in, or null. */
    currentHomeId: z.string().nullable(),
    homes: z.array(DistrictHomeSchema),
  })
  .openapi('DistrictHomes');

/** Body of `POST /api/district/homes`: the new Home and its first admin, whose first password the browser made. */
export const CreateDistrictHomeSchema = z
  .object({
    name: textOf(60).openapi({ example: '石门乡中心小学留守儿童之家' }),
    timeZone: TimeZoneSchema,
    admin: z
      .object({
        displayName: textOf(40).openapi({ example: '刘老师' }),
        username: UsernameSchema,
        password: NewPasswordSchema,
      })
      .strict(),
  })
  .strict()
  .openapi('CreateDistrictHome');

/** Answer of `POST /api/district/homes`: the Home (no reach yet) and its first admin. */
export const CreatedDistrictHomeSchema = z
  .object({
    home: DistrictHomeSchema.omit({ reach: true }),
    admin: StaffSchema,
  })
  .openapi('CreatedDistrictHome');

/** Body of `POST /api/district/current-home`: a Home of the district to act in, or null to act in none. */
export const SetCurrentHomeSchema = z
  .object({ homeId: idOf('hom').nullable() })
  .strict()
  .openapi('SetCurrentHome');
