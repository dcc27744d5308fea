/**
 * `npm run admin:create -- --username NAME [--phone NUMBER] [--name DISPLAY] [--home-name NAME]`:
 * creates the first admin (and the Home, when the database has none).
 * `npm run admin:create -- --district --username NAME [--district-id ID | --district-name NAME]`: creates a district
 * admin (区县管理员) of the default district, of the district with that id, or of a new district with that name.
 * The password is read from the terminal (or the first line of standard input), never from the command line.
 * Login names are unique over the whole installation.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { normalizePhone } from '@affection/core';
import {
  addDistrictAdmin,
  createDistrict,
  createHome,
  createStaff,
  type Db,
  DEFAULT_DISTRICT_ID,
  databaseErrorCode,
  isUniqueViolation,
  listDistricts,
  listHomes,
} from '@affection/db';
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
    district: { type: 'boolean', default: false },
    'district-id': { type: 'string' },
    'district-name': { type: 'string' },
  },
});
if ((values['district-id'] || values['district-name']) && !values.district) {
  console.error('--district-id and --district-name go with --district (a district admin).');
  process.exit(2);
}
if (values['district-id'] && values['district-name']) {
  console.error('Give --district-id (an existing district) or --district-name (a new one), not both.');
  process.exit(2);
}
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
/** Creates the district admin asked for; exits with 2 for a district that does not exist. */
async function createDistrictAdmin(db: Db, passwordHash: string): Promise<void> {
  let districtId = values['district-id'] ?? DEFAULT_DISTRICT_ID;
  if (values['district-id']) {
    const districts = await listDistricts(db);
    if (!districts.some((d) => d.id === districtId)) {
      console.error(
        `No district with id ${districtId}. Districts: ${districts.map((d) => `${d.id} (${d.name})`).join(', ')}`,
      );
      process.exit(2);
    }
  }
  if (values['district-name']) districtId = (await createDistrict(db, { name: values['district-name'] })).id;
  const result = await addDistrictAdmin(db, districtId, {
    displayName: values.name ?? '管理员',
    username: values.username ?? null,
    phone: phone ?? null,
    passwordHash,
  });
  if (!result.ok) {
    console.error('That username or phone is already taken (login names are unique over the whole installation).');
    process.exitCode = 1;
    return;
  }
  console.log(
    `Created district admin ${result.admin.id} of district ${districtId}. Sign in at /console/ with ${values.username ?? phone}.`,
  );
}

try {
  if (values.district) {
    await createDistrictAdmin(database.db, await hashPassword(password));
  } else {
    const homes = await listHomes(database.db);
    let home = values['home-id'] ? homes.find((h) => h.id === values['home-id']) : homes[0];
    if (values['home-id'] && !home) {
      console.error(
        `No Home with id ${values['home-id']}. Homes: ${homes.map((h) => `${h.id} (${h.name})`).join(', ')}`,
      );
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
  }
} catch (error) {
  // Never print the failed query: its parameters hold the password hash.
  console.error(
    isUniqueViolation(error)
      ? 'That username or phone is already taken (login names are unique over the whole installation).'
      : `Could not create the admin (database error ${databaseErrorCode(error) ?? 'unknown'}).`,
  );
  process.exitCode = 1;
} finally {
  await database.close();
}
