import bookingApiBench from './booking-api.bench.ts';
import remindersBench from './reminders.bench.ts';

/**
 * A Home's busiest hour, Sunday evening, when parents book the week's calls (the load model of docs/deploy.md,
 * "Sizing"): per Home, how many of each operation. Requests whose own cost is not measured (the family page's
 * other requests, the console board's reloads) are counted at a free-slots request's cost, the dearer of the two
 * read requests measured.
 */
export const PEAK_HOUR_PER_HOME = {
  /** 60 households, each parent opening the family page: its requests besides the free slots. */
  familyPageRequests: 60 * 5,
  /** Each parent asks for free slots three times. */
  slotRequests: 60 * 3,
  /** And books once. */
  bookings: 60,
  /** Each booking's confirmation SMS, sent at once (the day-before and 15-minute reminders fall on other hours). */
  confirmationSms: 60,
  /** One console board open all hour: a reload every 20 s, and every 30 s more while live. */
  boardReloads: 3600 / 20 + 3600 / 30,
} as const;

/** The hour's load is taken to come within this many seconds (a quarter of the hour). */
const PEAK_WINDOW_S = 15 * 60;
/** The share of a core kept busy at the peak. */
const CORE_BUSY_SHARE = 0.5;
/** PostgreSQL's CPU per SMS, not measured by the reminders bench: counted as much as the worker's own. */
const POSTGRES_PER_SMS_FACTOR = 1;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * `npm run bench -- sizing [rate=<req/s>] [seconds=<n>] [--count <n>]`: how many Homes one core serves at their
 * Sunday-evening peak, from CPU time (not wall time, so a machine shared with other work still gives usable
 * figures, on the safe side): runs the booking-api bench on PostgreSQL (the production server's CPU and the
 * PostgreSQL backends' from `/proc`) and the reminders bench (the worker's CPU per SMS), then multiplies by
 * {@link PEAK_HOUR_PER_HOME}. Calls (LiveKit's media) are not in it.
 */
export default async function sizingBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const count = args.includes('--count') ? (args[args.indexOf('--count') + 1] ?? '3000') : '3000';
  const api = await bookingApiBench([
    'db=postgres',
    `rate=${option('rate', '50')}`,
    `seconds=${option('seconds', '10')}`,
  ]);
  const sms = await remindersBench(['--count', count]);
  const cpuOf = (value: unknown, what: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`no CPU figure for ${what}`);
    return value;
  };
  const slotMs =
    cpuOf(api.slotsServerCpuMs, 'free slots (server)') + cpuOf(api.slotsPostgresCpuMs, 'free slots (PostgreSQL)');
  const bookingMs =
    cpuOf(api.bookingServerCpuMs, 'bookings (server)') + cpuOf(api.bookingPostgresCpuMs, 'bookings (PostgreSQL)');
  const smsMs = cpuOf(sms.workerCpuMsPerMessage, 'SMS (worker)') * (1 + POSTGRES_PER_SMS_FACTOR);
  const load = PEAK_HOUR_PER_HOME;
  const parts = {
    familyPageRequests: load.familyPageRequests * slotMs,
    slotRequests: load.slotRequests * slotMs,
    bookings: load.bookings * bookingMs,
    confirmationSms: load.confirmationSms * smsMs,
    boardReloads: load.boardReloads * slotMs,
  };
  const homeMs = Object.values(parts).reduce((sum, ms) => sum + ms, 0);
  const homesPerCore = Math.floor((PEAK_WINDOW_S * 1000 * CORE_BUSY_SHARE) / homeMs);
  console.log(
    `CPU per operation: free slots ${round1(slotMs)} ms, booking ${round1(bookingMs)} ms, SMS ${round1(smsMs)} ms (server or worker and PostgreSQL together)`,
  );
  for (const [part, ms] of Object.entries(parts)) {
    console.log(`  ${part}: ${load[part as keyof typeof load]} in the hour, ${round1(ms / 1000)} s of CPU`);
  }
  console.log(
    `a Home's peak hour: ${round1(homeMs / 1000)} s of CPU; come within ${PEAK_WINDOW_S / 60} min with a core ${CORE_BUSY_SHARE * 100} % busy: ${homesPerCore} Homes per core`,
  );
  return {
    slotCpuMs: round1(slotMs),
    bookingCpuMs: round1(bookingMs),
    smsCpuMs: round1(smsMs),
    homePeakHourCpuS: round1(homeMs / 1000),
    homesPerCore,
  };
}
