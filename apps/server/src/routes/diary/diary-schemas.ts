import { DIARY_TAGS } from '@affection/core';
import type { DiaryEntryRecord } from '@affection/db';
import { z } from '@hono/zod-openapi';
import type { StaffPrincipal } from '../../auth/principal.ts';
import { DateSchema, textOf } from '../common-schemas.ts';

/** The longest diary entry, in characters. */
export const MAX_DIARY_TEXT = 2000;

const MoodSchema = z
  .number()
  .int()
  .min(1)
  .max(5)
  .nullable()
  .openapi({ example: 4, description: "1–5, the kiosk's five faces from sad to happy; null for none" });

const TagsSchema = z
  .array(z.enum(DIARY_TAGS))
  .max(DIARY_TAGS.length)
  .transform((tags) => DIARY_TAGS.filter((tag) => tags.includes(tag)))
  .openapi({ example: ['study', 'family'], description: '学习 study, 情绪 emotion, 健康 health, 家庭 family' });

/** A growth-diary entry as the console shows it. */
export const DiaryEntrySchema = z
  .object({
    id: z.string().openapi({ example: 'dia_7m2k9x4q1b8c0d5e' }),
    childId: z.string(),
    entryDate: z.string().openapi({ example: '2026-09-07' }),
    text: z.string().openapi({ example: '今天和妈妈通话后很开心，数学作业也按时完成了。' }),
    mood: z.number().int().nullable(),
    tags: z.array(z.enum(DIARY_TAGS)),
    authorId: z.string().nullable(),
    authorName: z.string().nullable().openapi({ example: '李老师' }),
    canEdit: z.boolean().openapi({ description: 'True for your own entries (and every entry for the admin)' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('DiaryEntry');

/** Body of `POST /api/children/{id}/diary`. */
export const CreateDiaryEntrySchema = z
  .object({
    entryDate: DateSchema,
    text: textOf(MAX_DIARY_TEXT, { multiline: true }),
    mood: MoodSchema.optional(),
    tags: TagsSchema.optional(),
  })
  .strict()
  .openapi('CreateDiaryEntry');

/** Body of `PATCH /api/diary/{id}`: any subset of the create fields. */
export const UpdateDiaryEntrySchema = z
  .object({
    entryDate: DateSchema.optional(),
    text: textOf(MAX_DIARY_TEXT, { multiline: true }).optional(),
    mood: MoodSchema.optional(),
    tags: TagsSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'validation.invalid')
  .openapi('UpdateDiaryEntry');

/** Whether `staff` may change or delete `entry`: its author, or the Home's admin. */
export function canChangeDiaryEntry(staff: StaffPrincipal, entry: Pick<DiaryEntryRecord, 'staffId'>): boolean {
  return staff.role === 'admin' || entry.staffId === staff.staffId;
}

/** The shape the routes answer with, for the caller `staff`. */
export function toDiaryEntryDto(entry: DiaryEntryRecord, staff: StaffPrincipal): z.infer<typeof DiaryEntrySchema> {
  return {
    id: entry.id,
    childId: entry.childId,
    entryDate: entry.entryDate,
    text: entry.text,
    mood: entry.mood,
    tags: DIARY_TAGS.filter((tag) => entry.tags.includes(tag)),
    authorId: entry.staffId,
    authorName: entry.authorName,
    canEdit: canChangeDiaryEntry(staff, entry),
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}
