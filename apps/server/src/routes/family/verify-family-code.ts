import type { Contact } from '@affection/core';
import {
  type Db,
  findContactsByPhone,
  getHome,
  listChildren,
  listOneTimeCodesSince,
  recordOneTimeCodeFailure,
  retireOneTimeCodes,
  useOneTimeCode,
} from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { clientAddress } from '../../auth/client-address.ts';
import { secretsEqual } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, PhoneSchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { familyContactsOf, hashOneTimeCode } from './family-contact.ts';
import { familyRefusal, familyThrottled } from './family-errors.ts';
import { FamilyDeviceTokenSchema } from './family-schemas.ts';
import { ONE_TIME_CODE_DIGITS } from './family-settings.ts';
import { signInFamilyDevice } from './family-sign-in.ts';
import type { FamilyThrottleSource } from './family-throttle.ts';

/** One contact a number may sign in as: the Home and the given names of that household's children only. */
const FamilyChoiceSchema = z
  .object({
    contactId: z.string().openapi({ example: 'cnt_7m2k9x4q1b8c0d5e' }),
    homeName: z.string().openapi({ example: '石门乡中心小学留守儿童之家' }),
    childNames: z.array(z.string()).openapi({ example: ['小明'] }),
  })
  .openapi('FamilyChoice');

/** The answer when the number belongs to several contacts and none was chosen yet. */
const FamilyChoicesSchema = z.object({ choices: z.array(FamilyChoiceSchema) }).openapi('FamilyChoices', {
  description: 'Send the same code again with `contactId` set to one of these; the code is not used up yet',
});

/** How far back a typed code is matched against old codes, to say "expired" rather than "wrong". */
const RECENT_CODES_MS = 24 * 3600_000;

const VerifyFamilyCodeSchema = z
  .object({
    phone: PhoneSchema,
    code: z
      .string()
      .max(20)
      // People type codes with spaces, as some phones show them.
      .transform((value) => value.replace(/\s/g, ''))
      .pipe(z.string().regex(new RegExp(`^\\d{${ONE_TIME_CODE_DIGITS}}$`), 'validation.invalid'))
      .openapi({ type: 'string', example: '482913' }),
    contactId: z
      .string()
      .regex(/^cnt_[A-Za-z0-9]{1,64}$/, 'validation.invalid')
      .optional()
      .openapi({
        example: 'cnt_7m2k9x4q1b8c0d5e',
        description: 'Which of the choices to sign in as, when the number belongs to several contacts',
      }),
  })
  .strict()
  .openapi('VerifyFamilyCode');

export const route = createRoute({
  method: 'post',
  path: '/api/family/code/verify',
  tags: ['family'],
  summary: 'Sign a parent’s phone in with the one-time code texted to it',
  description:
    'A right, unused, unexpired code gives a device token; the code is then used up. A wrong code is 401 ' +
    '(`details.reason` `code-wrong`, with `details.triesLeft`), a used or expired one 401 `code-expired`. ' +
    'The fifth wrong code in 15 minutes locks the number (and five from one address lock the address) ' +
    'for the rest of the window: 429 with `Retry-After` and `details.reason` `code-locked` / `too-many-tries`. ' +
    'A number that belongs to contacts in several households (siblings in two Homes) gets `choices` instead of ' +
    'a token, each with its Home and its own children’s given names; the page sends the code again with the ' +
    'chosen `contactId`. A phone only ever signs in to a household its number belongs to.',
  request: { body: { required: true, content: { 'application/json': { schema: VerifyFamilyCodeSchema } } } },
  responses: {
    200: {
      description: 'Signed in, or (the number belongs to several contacts) the contacts to choose from',
      content: { 'application/json': { schema: z.union([FamilyDeviceTokenSchema, FamilyChoicesSchema]) } },
    },
    ...errorResponses(400, 401, 429),
  },
});

/** `POST /api/family/code/verify` (public). */
export function registerVerifyFamilyCode(app: OpenAPIHono<AppEnv>, throttleOf: FamilyThrottleSource): void {
  addRoute(app, 'public', route, async (c) => {
    const { phone, code, contactId } = c.req.valid('json');
    const { database, redis, now } = c.get('services');
    const db = database.db;
    const attempt = { phone, address: clientAddress(c) };
    const throttle = throttleOf(redis);
    const verdict = await throttle.admitCodeTry(attempt);
    if (!verdict.allowed) throw familyThrottled(c, verdict);

    const at = now();
    const codes = await listOneTimeCodesSince(db, phone, 'family-sign-in', new Date(at.getTime() - RECENT_CODES_MS));
    const isLive = (row: (typeof codes)[number]) => row.usedAt === null && row.expiresAt > at;
    const match = codes.find((row) => secretsEqual(hashOneTimeCode(row.id, code), row.codeHash));
    if (!match || !isLive(match)) {
      await recordOneTimeCodeFailure(
        db,
        codes.filter(isLive).map((row) => row.id),
        throttle.limits.triesPerNumber,
        at,
      );
      if (verdict.triesLeft === 0) throw familyThrottled(c, await throttle.lockAfterLastTry(attempt));
      if (match) {
        throw familyRefusal(
          'unauthenticated',
          'code-expired',
          'This code was already used or has expired. Ask for a new one.',
          {
            triesLeft: verdict.triesLeft,
          },
        );
      }
      throw familyRefusal(
        'unauthenticated',
        'code-wrong',
        'This code is not right. Please check the SMS and try again.',
        {
          triesLeft: verdict.triesLeft,
        },
      );
    }
    const contacts = familyContactsOf(await findContactsByPhone(db, phone));
    if (contacts.length > 1 && contactId === undefined) {
      // A right code: the try is given back, and the code stays for the second step.
      await throttle.codeSucceeded(attempt);
      c.header('Cache-Control', 'no-store');
      return c.json({ choices: await loadFamilyChoices(db, contacts) }, 200);
    }
    const contact = contactId === undefined ? contacts[0] : contacts.find((candidate) => candidate.id === contactId);
    if (!(await useOneTimeCode(db, match.id, at))) {
      throw familyRefusal(
        'unauthenticated',
        'code-expired',
        'This code was already used or has expired. Ask for a new one.',
        {
          triesLeft: verdict.triesLeft,
        },
      );
    }
    await retireOneTimeCodes(db, phone, 'family-sign-in', at);
    await throttle.codeSucceeded(attempt);
    if (!contact) {
      throw familyRefusal(
        'unauthenticated',
        'contact-not-approved',
        'This number cannot use the family page now. Please call the Home.',
      );
    }
    const signedIn = await signInFamilyDevice(c, db, { contactId: contact.id, homeId: contact.homeId, via: 'code' });
    return c.json(signedIn, 200);
  });
}

/** What a parent chooses between: each contact's Home and the given names of its own household's children. */
async function loadFamilyChoices(db: Db, contacts: readonly Contact[]): Promise<z.infer<typeof FamilyChoiceSchema>[]> {
  return Promise.all(
    contacts.map(async (contact) => {
      const [home, children] = await Promise.all([
        getHome(db, contact.homeId),
        listChildren(db, contact.homeId, { householdId: contact.householdId, limit: 50, offset: 0 }),
      ]);
      return {
        contactId: contact.id,
        homeName: home?.name ?? '',
        childNames: children.items.map((child) => child.givenName),
      };
    }),
  );
}
