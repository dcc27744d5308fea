/**
 * `npm run telephony:provision [-- --prefix NAME]`: makes LiveKit's SIP setup match the
 * configuration, idempotently — the outbound trunk parents are rung through (SIP_OUTBOUND_*), and,
 * with SIP_INBOUND_NUMBERS, an inbound trunk for the Home's numbers with its dispatch rule. Prints
 * what it did to each (created, updated, unchanged). Run it at deploy time and after changing a
 * SIP_* variable; running it twice changes nothing.
 */
import { parseArgs } from 'node:util';
import type { AppConfig } from '@affection/config';
import { isTelephonyError } from '@affection/core';
import { type ProvisionSipOptions, provisionSip } from '@affection/telephony';
import { readStartConfig } from './env.ts';

const { values } = parseArgs({
  options: {
    /** Names the trunks and the rule `<prefix>-outbound`, `<prefix>-inbound`, `<prefix>-inbound-calls`. */
    prefix: { type: 'string', default: 'affection' },
  },
});
const prefix = values.prefix ?? 'affection';
if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(prefix)) {
  console.error('--prefix takes lower-case letters, digits and dashes, e.g. --prefix shimen-home');
  process.exit(2);
}

let config: AppConfig;
try {
  config = readStartConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const { livekit, sip } = config;
if (!livekit || !sip) {
  console.error(
    'Nothing to provision. Set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (a LiveKit server with SIP),\n' +
      'SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER (the carrier trunk parents are rung through),\n' +
      'and optionally SIP_OUTBOUND_USERNAME / SIP_OUTBOUND_PASSWORD and SIP_INBOUND_NUMBERS. See docs/telephony.md.',
  );
  process.exit(2);
}

const options: ProvisionSipOptions = {
  url: livekit.url,
  apiKey: livekit.apiKey,
  apiSecret: livekit.apiSecret,
  outbound: {
    name: `${prefix}-outbound`,
    address: sip.outbound.address,
    numbers: [sip.outbound.number],
    ...(sip.outbound.auth
      ? { authUsername: sip.outbound.auth.username, authPassword: sip.outbound.auth.password }
      : {}),
  },
  ...(sip.inbound
    ? {
        inbound: {
          name: `${prefix}-inbound`,
          numbers: sip.inbound.numbers,
          allowedAddresses: sip.inbound.allowedAddresses,
          // Each caller who reaches LiveKit through the Home's number gets a room of their own.
          dispatchRule: { name: `${prefix}-inbound-calls`, type: 'individual', roomPrefix: 'phone-' },
        },
      }
    : {}),
};

try {
  const result = await provisionSip(options);
  const rows: [string, string, { id: string; action: string } | undefined][] = [
    ['outbound trunk', options.outbound.name, result.outboundTrunk],
    ['inbound trunk', options.inbound?.name ?? '', result.inboundTrunk],
    ['dispatch rule', options.inbound?.dispatchRule.name ?? '', result.dispatchRule],
  ];
  console.log(`LiveKit SIP at ${livekit.url}:`);
  for (const [what, name, done] of rows) {
    if (done) console.log(`  ${what.padEnd(15)} ${name.padEnd(28)} ${done.id.padEnd(20)} ${done.action}`);
  }
  if (!result.inboundTrunk) console.log('  (no inbound trunk: SIP_INBOUND_NUMBERS is not set)');
  console.log(`Parents are rung through outbound trunk ${result.outboundTrunk.id}.`);
} catch (error) {
  // TelephonyError messages are already scrubbed of tokens; never print the options (they hold a password).
  console.error(
    isTelephonyError(error)
      ? `LiveKit refused the SIP setup (${error.reason}): ${error.message}`
      : `Provisioning failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
