import type { ApiContract, ApiResponse } from '@affection/server/contract';
import { type ApiClient, createApiClient } from '@affection/ui';
import { deviceStore } from './storage.ts';

/** `GET /api/family/me`: the contact, the Home, the children's names and the next call. */
export type FamilyMe = ApiResponse<'GET /api/family/me'>;

/** The contact's next call. */
export type NextCall = NonNullable<FamilyMe['nextCall']>;

/** `POST /api/family/calls/{id}/join`: where and how to join the call's room. */
export type CallJoin = ApiResponse<'POST /api/family/calls/{id}/join'>;

/** `POST /api/family/code/verify` with a right code: the device token, or the Homes to choose from. */
export type CodeVerified = ApiResponse<'POST /api/family/code/verify'>;

/** One contact a number registered at several Homes may sign in as: the Home and its own children's names. */
export type FamilyChoice = Extract<CodeVerified, { choices: unknown }>['choices'][number];

/** `PUT /api/family/pin`: whether this contact's phone PIN is set (never the PIN). */
export type PinStatus = ApiResponse<'PUT /api/family/pin'>;

/** The authorization of a signed-in phone's device token. */
export function familyAuthorization(token: string): string {
  return `Family ${token}`;
}

/** The page's typed client of the API contract, signed in with this phone's device token when it has one. */
export const api: ApiClient<ApiContract> = createApiClient<ApiContract>({
  authorization: () => {
    const token = deviceStore.token();
    return token ? familyAuthorization(token) : null;
  },
});
