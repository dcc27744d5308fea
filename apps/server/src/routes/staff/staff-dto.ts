import { maskPhone, type Staff } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { StaffSchema } from './staff-schemas.ts';

/** The shape the routes answer with; `masked` hides the middle of the phone number (lists). */
export function toStaffDto(staff: Staff, options: { masked?: boolean } = {}): z.infer<typeof StaffSchema> {
  return {
    id: staff.id,
    role: staff.role,
    displayName: staff.displayName,
    username: staff.username,
    phone: staff.phone && options.masked ? maskPhone(staff.phone) : staff.phone,
    active: staff.active,
    createdAt: staff.createdAt.toISOString(),
  };
}
