import { AppError } from '@affection/core';
import { databaseErrorConstraint, isUniqueViolation } from '@affection/db';
import { fieldProblem } from './field-problem.ts';

/**
 * Turns the database's "same number twice in one household" into a 409 with a message in both
 * languages; rethrows anything else.
 */
export function rethrowDuplicatePhone(error: unknown): never {
  if (isUniqueViolation(error) && databaseErrorConstraint(error) === 'contacts_household_phone_unique') {
    throw new AppError('conflict', 'This phone number is already a contact of this household.', {
      userMessageKey: 'error.contact.phone-taken',
      details: { reason: 'phone-taken', fields: [fieldProblem('phone', 'error.contact.phone-taken')] },
    });
  }
  throw error;
}
