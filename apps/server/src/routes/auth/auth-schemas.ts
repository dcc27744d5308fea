import { z } from '@hono/zod-openapi';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords.ts';

/** Longest password accepted: long enough for any passphrase, short enough to hash cheaply. */
export const MAX_PASSWORD_LENGTH = 256;

/** The signed-in staff member (or district admin), as the console needs it. */
export const StaffSummarySchema = z
  .object({
    id: z.string().openapi({ example: 'stf_7m2k9x4q1b8c0d5e' }),
    displayName: z.string().openapi({ example: '王老师' }),
    role: z.enum(['admin', 'teacher', 'district-admin']),
    homeId: z
      .string()
      .nullable()
      .openapi({
        example: 'hom_7m2k9x4q1b8c0d5e',
        description:
          "The Home the console works on: a staff member's own Home, or the district admin's current Home " +
          '(null until they choose one, with `POST /api/district/current-home`)',
      }),
    districtId: z.string().nullable().openapi({
      example: 'dst_7m2k9x4q1b8c0d5e',
      description: "A district admin's district; null for a Home's staff",
    }),
  })
  .openapi('StaffSummary');

/** Answer of sign-in and `GET /api/auth/me`: who is signed in and the token to send as `X-CSRF-Token`. */
export const StaffSessionSchema = z
  .object({
    staff: StaffSummarySchema,
    csrfToken: z.string().openapi({ description: 'Send it as X-CSRF-Token on every POST, PATCH, PUT and DELETE.' }),
  })
  .openapi('StaffSession');

/** Body of `POST /api/auth/login`. */
export const LoginSchema = z
  .object({
    login: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'Username (any case) or phone number as typed', example: '138 1234 5678' }),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH).openapi({ format: 'password' }),
  })
  .strict()
  .openapi('Login');

/** Body of `POST /api/auth/password`. */
export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH).openapi({ format: 'password' }),
    newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).openapi({ format: 'password' }),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.newPassword === value.currentPassword) {
      ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'validation.password_same' });
    }
  })
  .openapi('ChangePassword');
