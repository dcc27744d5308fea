import type { AppConfig } from '@affection/config';

/** What the starting process will do beyond the configuration, for {@link productionProblems}. */
export interface ProductionPlan {
  /** `npm start` is about to start LiveKit in dev mode (key `devkey`) because `LIVEKIT_URL` is unset. */
  startsDevLivekit: boolean;
  /** `npm start` is about to seed the demo Home (known logins) into an empty database. */
  seedsDemoHome: boolean;
}

/** LiveKit's public dev-mode credentials: anyone can sign tokens and webhooks with them. */
const DEV_LIVEKIT_KEYS = new Set(['devkey']);
const DEV_LIVEKIT_SECRETS = new Set(['secret']);

/**
 * Every reason the configuration is unsafe in production (`NODE_ENV=production`), as sentences naming the variable
 * and what to do; empty when it is safe or not production. The mains refuse to start while the list is not empty.
 *
 * @example productionProblems(config, { startsDevLivekit: false, seedsDemoHome: false }).length === 0
 */
export function productionProblems(config: AppConfig, plan: ProductionPlan): string[] {
  if (config.nodeEnv !== 'production') return [];
  const problems: string[] = [];
  if (!config.publicUrl.startsWith('https://')) {
    problems.push(
      `PUBLIC_URL is ${config.publicUrl}: parents, cookies and webhooks need an https:// address in production`,
    );
  }
  if (plan.startsDevLivekit) {
    problems.push(
      'LIVEKIT_URL is unset, so npm start would run LiveKit in dev mode with the public key devkey/secret: ' +
        'set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to your LiveKit server',
    );
  }
  if (config.livekit) {
    if (DEV_LIVEKIT_KEYS.has(config.livekit.apiKey) || DEV_LIVEKIT_SECRETS.has(config.livekit.apiSecret)) {
      problems.push(
        "LIVEKIT_API_KEY / LIVEKIT_API_SECRET are LiveKit's public dev credentials (devkey / secret): anyone could " +
          'sign call tokens and webhooks; use the key and secret of your LiveKit server',
      );
    } else if (config.livekit.apiSecret.length < 32) {
      problems.push(
        'LIVEKIT_API_SECRET is shorter than 32 characters: use the generated secret of your LiveKit server',
      );
    }
  }
  if (plan.seedsDemoHome) {
    problems.push(
      'the database is empty and npm start would seed the demo Home with its published logins: create the first ' +
        'admin with npm run admin:create instead',
    );
  }
  if (config.sip && !config.sip.outbound.auth) {
    problems.push(
      'SIP_OUTBOUND_ADDRESS is set without SIP_OUTBOUND_USERNAME and SIP_OUTBOUND_PASSWORD: the carrier trunk ' +
        "needs its credentials (the trunk's credential list)",
    );
  }
  if (config.sip?.inbound && config.sip.inbound.allowedAddresses.length === 0) {
    problems.push(
      'SIP_INBOUND_NUMBERS is set without SIP_INBOUND_ALLOWED_ADDRESSES: any address could call in; list the ' +
        "carrier's signalling addresses",
    );
  }
  if (config.livekitSipHost && !config.twilio) {
    problems.push(
      'LIVEKIT_SIP_URI is set but Twilio is not (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): the voice menu that ' +
        'bridges callers cannot verify its webhooks',
    );
  }
  return problems;
}

/** Thrown when {@link productionProblems} found something: the message lists every problem. */
export class ProductionConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Refusing to start in production (NODE_ENV=production):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductionConfigError';
    this.problems = problems;
  }
}
