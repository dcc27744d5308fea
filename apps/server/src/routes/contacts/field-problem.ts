import { CATALOGS, type MessageKey } from '@affection/ui';
import type { FieldProblem } from '../../validation/validation-hook.ts';

/**
 * One field problem in both languages, for errors a handler finds after validation (a duplicate
 * number, a confirmation that does not match), in the same shape the validation hook gives.
 *
 * @example throw new AppError('conflict', '…', { details: { fields: [fieldProblem('phone', 'error.contact.phone-taken')] } })
 */
export function fieldProblem(path: string, key: MessageKey): FieldProblem {
  return { path, key, message: { 'zh-CN': CATALOGS['zh-CN'][key], en: CATALOGS.en[key] } };
}
