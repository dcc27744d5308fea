import { AppError } from '@affection/core';
import type { StaffChangeRejection } from '@affection/db';

/** A refused staff change as the one error body: 404 for not found, 409 for the rest. */
export function staffChangeError(reason: StaffChangeRejection): AppError {
  switch (reason) {
    case 'not-found':
      return new AppError('not-found', 'No such staff member in your Home.');
    case 'username-taken':
      return new AppError(
        'conflict',
        'This username is already taken (usernames are unique over the whole installation, all Homes together). Please choose another.',
        {
          userMessageKey: 'error.staff.username-taken',
          details: { reason, field: 'username' },
        },
      );
    case 'phone-taken':
      return new AppError('conflict', 'This phone number already signs in another staff member.', {
        userMessageKey: 'error.staff.phone-taken',
        details: { reason, field: 'phone' },
      });
    case 'no-active-admin':
      return new AppError(
        'conflict',
        'The Home must keep at least one active admin. Make someone else an admin first.',
        { userMessageKey: 'error.staff.no-active-admin', details: { reason } },
      );
  }
}

/** Refuses an admin's change to their own account that would lock them out or demote them. */
export function ownAccountError(what: 'deactivate' | 'role' | 'password'): AppError {
  const messages = {
    deactivate: 'You cannot deactivate your own account. Ask another admin.',
    role: 'You cannot change your own role. Ask another admin.',
    password: 'Change your own password from your account page, with your current password.',
  } as const;
  return new AppError('unprocessable', messages[what], {
    userMessageKey: `error.staff.own-${what}`,
    details: { reason: `own-${what}` },
  });
}
