import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import {
  availabilityWindows,
  children,
  contacts,
  dutyPatterns,
  homes,
  households,
  kiosks,
  openingRules,
  pairings,
  staff,
} from '../schema/index.ts';
import { ADULT_GIVEN_NAMES, CHILD_GIVEN_NAMES, CITIES, CLASS_NAMES, FAMILY_NAMES, TEACHER_NAMES } from './names.ts';
import { pick, seededRandom } from './seeded-random.ts';

/** Options for {@link seedHome}. */
export interface SeedHomeOptions {
  name: string;
  children: number;
  kiosks: number;
  teachers: number;
  /** Hashes staff passwords (argon2id in the server). */
  hashPassword: (password: string) => Promise<string>;
  adminLogin: { username: string; password: string };
  teacherPassword: string;
  /** Usernames `<prefix>1`, `<prefix>2`, …; default `teacher`. */
  teacherUsernamePrefix?: string;
  now: Date;
  seed?: number;
}

/** What was seeded, with the logins to print. */
export interface SeededHome {
  homeId: string;
  kioskIds: string[];
  childCount: number;
  householdCount: number;
  contactCount: number;
  logins: { role: 'admin' | 'teacher'; username: string; password: string; displayName: string }[];
}

type WindowShape = { weekday: number; startTime: string; endTime: string }[];

const weekdays = [1, 2, 3, 4, 5];

/** Parents' realistic windows in their own zone: noon breaks, after-shift evenings, days off, some very narrow. */
function windowsFor(random: () => number): WindowShape {
  const kind = random();
  if (kind < 0.35) return weekdays.map((weekday) => ({ weekday, startTime: '12:00', endTime: '13:00' }));
  if (kind < 0.6) return [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startTime: '17:30', endTime: '18:30' }));
  if (kind < 0.8) {
    const dayOff = 1 + Math.floor(random() * 5);
    return [
      { weekday: dayOff, startTime: '09:00', endTime: '21:00' },
      ...weekdays.filter((d) => d !== dayOff).map((weekday) => ({ weekday, startTime: '12:10', endTime: '12:40' })),
    ];
  }
  if (kind < 0.93) {
    const day = 1 + Math.floor(random() * 5);
    return [{ weekday: day, startTime: '12:15', endTime: '12:35' }];
  }
  return weekdays.map((weekday) => ({ weekday, startTime: '16:30', endTime: '18:00' }));
}

/**
 * Seeds one Home with kiosks, teachers on a weekday rota, households of children (some with
 * siblings) and their contacts in their own zones, opening hours Mon–Fri 12:00–13:30 and
 * 16:30–18:00. Deterministic for a given seed. Used by the demo data and the synthetic Home.
 */
export async function seedHome(db: Db, options: SeedHomeOptions): Promise<SeededHome> {
  const random = seededRandom(options.seed ?? 20260901);
  const homeId = createId('home');
  await db.insert(homes).values({ id: homeId, name: options.name, timeZone: 'Asia/Shanghai' });
  await db.insert(openingRules).values(
    weekdays.flatMap((weekday) => [
      { id: createId('openingRule'), homeId, weekday, startTime: '12:00', endTime: '13:30' },
      { id: createId('openingRule'), homeId, weekday, startTime: '16:30', endTime: '18:00' },
    ]),
  );
  const kioskIds = Array.from({ length: options.kiosks }, () => createId('kiosk'));
  // The seeded Home stands for one already set up, so its kiosks count as enrolled (bookable); a tablet takes one
  // over with a new code from the console, which resets the enrolment until the tablet enrols.
  await db
    .insert(kiosks)
    .values(kioskIds.map((id, i) => ({ id, homeId, name: `${i + 1}号机`, enrolledAt: options.now })));

  const adminHash = await options.hashPassword(options.adminLogin.password);
  const teacherHash = await options.hashPassword(options.teacherPassword);
  const adminId = createId('staff');
  await db.insert(staff).values({
    id: adminId,
    homeId,
    role: 'admin',
    displayName: '之家管理员',
    username: options.adminLogin.username,
    passwordHash: adminHash,
  });
  const prefix = options.teacherUsernamePrefix ?? 'teacher';
  const teacherRows = Array.from({ length: options.teachers }, (_, i) => ({
    id: createId('staff'),
    homeId,
    role: 'teacher' as const,
    displayName: TEACHER_NAMES[i % TEACHER_NAMES.length]! + (i >= TEACHER_NAMES.length ? String(i + 1) : ''),
    username: `${prefix}${i + 1}`,
    passwordHash: teacherHash,
  }));
  if (teacherRows.length > 0) await db.insert(staff).values(teacherRows);
  if (teacherRows.length > 0) {
    await db.insert(dutyPatterns).values(
      weekdays.map((weekday, i) => ({
        id: createId('dutyPattern'),
        homeId,
        weekday,
        staffId: teacherRows[i % teacherRows.length]!.id,
      })),
    );
  }

  const householdRows: (typeof households.$inferInsert)[] = [];
  const childRows: (typeof children.$inferInsert)[] = [];
  const contactRows: (typeof contacts.$inferInsert)[] = [];
  const windowRows: (typeof availabilityWindows.$inferInsert)[] = [];
  let phoneCounter = 0;
  const nextMobile = () => {
    phoneCounter += 1;
    return `+86138${String(10_000_000 + phoneCounter * 7919).slice(-8)}`;
  };
  let abroadDone = false;
  while (childRows.length < options.children) {
    const householdId = createId('household');
    const familyName = pick(random, FAMILY_NAMES);
    householdRows.push({ id: householdId, homeId, name: `${familyName}家` });
    const siblings = Math.min(random() < 0.33 ? 2 : 1, options.children - childRows.length);
    for (let s = 0; s < siblings; s += 1) {
      childRows.push({
        id: createId('child'),
        homeId,
        householdId,
        familyName,
        givenName: pick(random, CHILD_GIVEN_NAMES),
        className: pick(random, CLASS_NAMES),
        birthYear: 2014 + Math.floor(random() * 6),
      });
    }
    const parents: ('mother' | 'father')[] =
      random() < 0.55 ? ['mother', 'father'] : [random() < 0.6 ? 'mother' : 'father'];
    for (const relation of parents) {
      const abroad = !abroadDone && random() < 0.05;
      if (abroad) abroadDone = true;
      const id = createId('contact');
      const phoneOnly = !abroad && random() < 0.12;
      const approved = random() < 0.93;
      contactRows.push({
        id,
        homeId,
        householdId,
        name: (relation === 'father' ? familyName : pick(random, FAMILY_NAMES)) + pick(random, ADULT_GIVEN_NAMES),
        relation,
        phone: abroad ? `+3461${String(1_000_000 + phoneCounter * 31).slice(-7)}` : nextMobile(),
        city: abroad ? '马德里' : pick(random, CITIES),
        timeZone: abroad ? 'Europe/Madrid' : 'Asia/Shanghai',
        language: 'zh-CN',
        channel: phoneOnly ? 'phone' : 'video',
        approvedBy: approved ? adminId : null,
        approvedAt: approved ? options.now : null,
        consentRecordedBy: approved ? adminId : null,
        consentRecordedAt: approved ? options.now : null,
      });
      for (const w of abroad
        ? [
            { weekday: 6, startTime: '05:00', endTime: '07:00' },
            ...weekdays.map((weekday) => ({ weekday, startTime: '06:00', endTime: '06:45' })),
          ]
        : windowsFor(random)) {
        windowRows.push({ id: createId('availabilityWindow'), contactId: id, ...w });
      }
    }
    if (random() < 0.2) {
      const id = createId('contact');
      contactRows.push({
        id,
        homeId,
        householdId,
        name: `${familyName}${pick(random, ADULT_GIVEN_NAMES)}`,
        relation: random() < 0.5 ? 'grandmother' : 'grandfather',
        phone: nextMobile(),
        city: '本镇',
        timeZone: 'Asia/Shanghai',
        channel: 'phone',
        approvedBy: adminId,
        approvedAt: options.now,
        consentRecordedBy: adminId,
        consentRecordedAt: options.now,
      });
      windowRows.push({
        id: createId('availabilityWindow'),
        contactId: id,
        weekday: 3,
        startTime: '16:30',
        endTime: '18:00',
      });
    }
  }
  for (let i = 0; i < householdRows.length; i += 500)
    await db.insert(households).values(householdRows.slice(i, i + 500));
  for (let i = 0; i < childRows.length; i += 500) await db.insert(children).values(childRows.slice(i, i + 500));
  for (let i = 0; i < contactRows.length; i += 500) await db.insert(contacts).values(contactRows.slice(i, i + 500));
  for (let i = 0; i < windowRows.length; i += 500)
    await db.insert(availabilityWindows).values(windowRows.slice(i, i + 500));

  // Each teacher is paired with three children (结对), as the school does.
  const pairingRows = teacherRows.flatMap((teacher, t) =>
    childRows
      .slice(t * 3, t * 3 + 3)
      .map((child) => ({ id: createId('pairing'), homeId, staffId: teacher.id, childId: child.id! })),
  );
  if (pairingRows.length > 0) await db.insert(pairings).values(pairingRows);

  return {
    homeId,
    kioskIds,
    childCount: childRows.length,
    householdCount: householdRows.length,
    contactCount: contactRows.length,
    logins: [
      {
        role: 'admin',
        username: options.adminLogin.username,
        password: options.adminLogin.password,
        displayName: '之家管理员',
      },
      ...teacherRows.map((t) => ({
        role: 'teacher' as const,
        username: t.username,
        password: options.teacherPassword,
        displayName: t.displayName,
      })),
    ],
  };
}
