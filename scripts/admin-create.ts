/**
 * `npm run admin:create -- --username NAME [--phone NUMBER] [--name DISPLAY] [--home-name NAME]`:
 * creates the first admin (and the Home, when the database has none). The password is read from
 * the terminal (or the first line of standard input), never from the command line.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { normalizePhone } from '@affection/core';
import { createHome, createStaff, databaseErrorCode, isUniqueViolation, listHomes } from '@affection/db';
import { openConfiguredDatabase } from '@affection/runtime';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../apps/server/src/main.ts';
import { readStartConfig } from './env.ts';

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    phone: { type: 'string' },
    name: { type: 'string', default: '管理员' },
    'home-name': { type: 'string', default: '留守儿童之家' },
    'home-id': { type: 'string' },
  },
});
if (!values.username && !values.phone) {
  console.error('Give --username and/or --phone for the admin to sign in with.');
  process.exit(2);
}
const phone = values.phone ? normalizePhone(values.phone)?.e164 : undefined;
if (values.phone && !phone) {
  console.error(`--phone ${values.phone} is not a valid phone number (numbers abroad need their country code).`);
  process.exit(2);
}

const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
const password = (await rl.question('New admin password: ')).trim();
rl.close();
if (password.length < MIN_PASSWORD_LENGTH) {
  console.error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  process.exit(2);
}

let database: Awaited<ReturnType<typeof openConfiguredDatabase>>;
try {
  // Takes the DATA_DIR lock for the embedded database: refused while npm start (or another script) uses the folder.
  database = await openConfiguredDatabase(readStartConfig());
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
try {
  const homes = await listHomes(database.db);
  let home = values['home-id'] ? homes.find((h) => h.id === values['home-id']) : homes[0];
  if (values['home-id'] && !home) {
    console.error(`No Home with id ${values['home-id']}. Homes: ${homes.map((h) => `${h.id} (${h.name})`).join(', ')}`);
    process.exit(2);
  }
  home ??= await createHome(database.db, { name: values['home-name'] ?? '留守儿童之家' });
  const admin = await createStaff(database.db, home.id, {
    role: 'admin',
    displayName: values.name ?? '管理员',
    username: values.username ?? null,
    phone: phone ?? null,
    passwordHash: await hashPassword(password),
  });
  console.log(
    `Created admin ${admin.id} in ${home.name} (${home.id}). Sign in at /console/ with ${values.username ?? phone}.`,
  );
} catch (error) {
  // Never print the failed query: its parameters hold the password hash.
  console.error(
    isUniqueViolation(error)
      ? 'That username or phone is already taken.'
      : `Could not create the admin (database error ${databaseErrorCode(error) ?? 'unknown'}).`,
  );
  process.exitCode = 1;
} finally {
  await database.close();
}
