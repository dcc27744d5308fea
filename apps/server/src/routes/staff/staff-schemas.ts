import { z } from '@hono/zod-openapi';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords.ts';
import { PhoneSchema, textOf } from '../common-schemas.ts';

/** A staff member as an admin sees them; never with the password hash. */
export const StaffSchema = z
  .object({
    id: z.string().openapi({ example: 'stf_7m2k9x4q1b8c0d5e' }),
    role: z.enum(['admin', 'teacher']),
    displayName: z.string().openapi({ example: '刘老师' }),
    username: z.string().nullable().openapi({ example: 'liu.fang' }),
    phone: z.string().nullable().openapi({ example: '+8613812345678', description: 'E.164; masked in lists' }),
    active: z.boolean(),
    createdAt: z.string().datetime(),
  })
  .openapi('Staff');

/** A sign-in name: letters, digits, dot, dash, underscore; compared without case. */
export const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[A-Za-z0-9._-]+$/, 'validation.username')
  .openapi({ example: 'liu.fang' });

/** A new password: at least {@link MIN_PASSWORD_LENGTH} characters. */
export const NewPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH)
  .max(200)
  .openapi({ example: 'a long passphrase', description: `At least ${MIN_PASSWORD_LENGTH} characters` });

const hasLoginName = (v: { username?: string | null; phone?: string | null }) =>
  Boolean(v.username) || Boolean(v.phone);

/** Body of `POST /api/staff`. */
export const CreateStaffSchema = z
  .object({
    role: z.enum(['admin', 'teacher']),
    displayName: textOf(40),
    username: UsernameSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    password: NewPasswordSchema,
  })
  .strict()
  .refine(hasLoginName, { message: 'validation.login_name_required', path: ['username'] })
  .openapi('CreateStaff');

/** Body of `PATCH /api/staff/{id}`: any subset; `null` removes a login name (one must remain). */
export const UpdateStaffSchema = z
  .object({
    role: z.enum(['admin', 'teacher']),
    displayName: textOf(40),
    username: UsernameSchema.nullable(),
    phone: PhoneSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateStaff');

/** Body of `POST /api/staff/{id}/password`. */
export const ResetPasswordSchema = z.object({ password: NewPasswordSchema }).strict().openapi('ResetStaffPassword');
