import type { ApiResponse } from '@affection/server/contract';

/** A staff member as the list shows them (phone masked by the server). */
export type StaffRow = ApiResponse<'GET /api/staff'>['items'][number];

/** A staff member as one read shows them (whole phone, for editing). */
export type StaffMember = ApiResponse<'GET /api/staff/{id}'>;

/** The add / edit form. */
export interface StaffDraft {
  role: 'teacher' | 'admin';
  displayName: string;
  username: string;
  phone: string;
}

/** An empty form: a teacher. */
export const EMPTY_DRAFT: StaffDraft = { role: 'teacher', displayName: '', username: '', phone: '' };
