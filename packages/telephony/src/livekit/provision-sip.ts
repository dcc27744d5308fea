import {
  SIPDispatchRule,
  SIPDispatchRuleDirect,
  SIPDispatchRuleIndividual,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
  type SIPOutboundTrunkInfo,
  SipClient,
} from 'livekit-server-sdk';
import { requireLivekitCredentials, telephonyErrorFromLivekit } from './livekit-errors.ts';

/** The trunk LiveKit dials out through (e.g. a Twilio Elastic SIP trunk). */
export interface OutboundTrunkOptions {
  /** Unique name; provisioning finds the trunk by it. */
  name: string;
  /** The carrier's SIP host, e.g. `affection.pstn.twilio.com`. */
  address: string;
  /** Numbers calls come from (E.164). */
  numbers: string[];
  authUsername?: string;
  authPassword?: string;
  /** ISO country of the carrier's region, when the carrier asks for it. */
  destinationCountry?: string;
  metadata?: string;
}

/** Where calls to the Home's number go once they reach LiveKit. */
export type DispatchRuleOptions = {
  /** Unique name; provisioning finds the rule by it. */
  name: string;
  metadata?: string;
} & (
  | { type: 'individual' /** Each caller gets a new room `<roomPrefix><random>`. */; roomPrefix: string }
  | { type: 'direct' /** Every caller joins this one room. */; roomName: string }
);

/** The trunk that accepts calls to the Home's number, and its dispatch rule. */
export interface InboundTrunkOptions {
  /** Unique name; provisioning finds the trunk by it. */
  name: string;
  /** The Home's numbers (E.164). */
  numbers: string[];
  /** Carrier signalling addresses allowed to call in (CIDR), e.g. Twilio's. */
  allowedAddresses?: string[];
  authUsername?: string;
  authPassword?: string;
  metadata?: string;
  dispatchRule: DispatchRuleOptions;
}

/** Options for {@link provisionSip}. */
export interface ProvisionSipOptions {
  /** The LiveKit server, `http(s)://` or `ws(s)://`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  outbound: OutboundTrunkOptions;
  /** Leave out when no one calls in. */
  inbound?: InboundTrunkOptions;
}

/** What provisioning did to one object. */
export type ProvisionAction = 'created' | 'updated' | 'unchanged';

/** The answer to {@link provisionSip}. */
export interface ProvisionSipResult {
  outboundTrunk: { id: string; action: ProvisionAction };
  inboundTrunk?: { id: string; action: ProvisionAction };
  dispatchRule?: { id: string; action: ProvisionAction };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);

/** SIP transport "auto" (the protocol's enum value 0), which the SDK's create call requires. */
const TRANSPORT_AUTO: SIPOutboundTrunkInfo['transport'] = 0;

async function provisionOutbound(sip: SipClient, options: OutboundTrunkOptions) {
  const existing = (await sip.listSipOutboundTrunk()).find((trunk) => trunk.name === options.name);
  const wanted = {
    address: options.address,
    numbers: options.numbers,
    authUsername: options.authUsername ?? '',
    authPassword: options.authPassword ?? '',
    destinationCountry: options.destinationCountry ?? '',
    metadata: options.metadata ?? '',
  };
  if (!existing) {
    const created = await sip.createSipOutboundTrunk(options.name, options.address, options.numbers, {
      transport: TRANSPORT_AUTO,
      authUsername: wanted.authUsername,
      authPassword: wanted.authPassword,
      ...(options.destinationCountry ? { destinationCountry: options.destinationCountry } : {}),
      metadata: wanted.metadata,
    });
    return { id: created.sipTrunkId, action: 'created' as const };
  }
  const isSame =
    existing.address === wanted.address &&
    sameList(existing.numbers, wanted.numbers) &&
    existing.authUsername === wanted.authUsername &&
    existing.authPassword === wanted.authPassword &&
    existing.destinationCountry === wanted.destinationCountry &&
    existing.metadata === wanted.metadata;
  if (isSame) return { id: existing.sipTrunkId, action: 'unchanged' as const };
  // Replace from the stored trunk so settings we do not manage (headers, media) survive.
  const next = existing.clone();
  Object.assign(next, wanted);
  await sip.updateSipOutboundTrunk(existing.sipTrunkId, next);
  return { id: existing.sipTrunkId, action: 'updated' as const };
}

async function provisionInbound(sip: SipClient, options: InboundTrunkOptions) {
  const existing = (await sip.listSipInboundTrunk()).find((trunk) => trunk.name === options.name);
  const wanted = {
    numbers: options.numbers,
    allowedAddresses: options.allowedAddresses ?? [],
    authUsername: options.authUsername ?? '',
    authPassword: options.authPassword ?? '',
    metadata: options.metadata ?? '',
  };
  if (!existing) {
    const created = await sip.createSipInboundTrunk(options.name, options.numbers, {
      allowedAddresses: wanted.allowedAddresses,
      authUsername: wanted.authUsername,
      authPassword: wanted.authPassword,
      metadata: wanted.metadata,
    });
    return { id: created.sipTrunkId, action: 'created' as const };
  }
  const isSame =
    sameList(existing.numbers, wanted.numbers) &&
    sameList(existing.allowedAddresses, wanted.allowedAddresses) &&
    existing.authUsername === wanted.authUsername &&
    existing.authPassword === wanted.authPassword &&
    existing.metadata === wanted.metadata;
  if (isSame) return { id: existing.sipTrunkId, action: 'unchanged' as const };
  const next: SIPInboundTrunkInfo = existing.clone();
  Object.assign(next, wanted);
  await sip.updateSipInboundTrunk(existing.sipTrunkId, next);
  return { id: existing.sipTrunkId, action: 'updated' as const };
}

function ruleOf(options: DispatchRuleOptions): SIPDispatchRule {
  return options.type === 'direct'
    ? new SIPDispatchRule({
        rule: { case: 'dispatchRuleDirect', value: new SIPDispatchRuleDirect({ roomName: options.roomName }) },
      })
    : new SIPDispatchRule({
        rule: {
          case: 'dispatchRuleIndividual',
          value: new SIPDispatchRuleIndividual({ roomPrefix: options.roomPrefix }),
        },
      });
}

async function provisionDispatchRule(sip: SipClient, options: DispatchRuleOptions, trunkId: string) {
  const existing = (await sip.listSipDispatchRule()).find((rule) => rule.name === options.name);
  const rule = ruleOf(options);
  const metadata = options.metadata ?? '';
  if (!existing) {
    const created = await sip.createSipDispatchRule(
      options.type === 'direct'
        ? { type: 'direct', roomName: options.roomName }
        : { type: 'individual', roomPrefix: options.roomPrefix },
      { name: options.name, metadata, trunkIds: [trunkId], hidePhoneNumber: true },
    );
    return { id: created.sipDispatchRuleId, action: 'created' as const };
  }
  const isSame =
    existing.rule !== undefined &&
    SIPDispatchRule.equals(existing.rule, rule) &&
    sameList(existing.trunkIds, [trunkId]) &&
    existing.hidePhoneNumber &&
    existing.metadata === metadata;
  if (isSame) return { id: existing.sipDispatchRuleId, action: 'unchanged' as const };
  const next: SIPDispatchRuleInfo = existing.clone();
  Object.assign(next, { rule, trunkIds: [trunkId], hidePhoneNumber: true, metadata });
  await sip.updateSipDispatchRule(existing.sipDispatchRuleId, next);
  return { id: existing.sipDispatchRuleId, action: 'updated' as const };
}

/**
 * Makes LiveKit's SIP setup match the options, idempotently: finds each trunk and dispatch rule
 * by name, creates what is missing, updates what differs, and leaves the rest. Run it at deploy
 * time; it needs a LiveKit server with SIP enabled (self-hosted: a `redis:` section). Provider
 * failures throw `TelephonyError`.
 *
 * @example
 * const { outboundTrunk } = await provisionSip({ url, apiKey, apiSecret, outbound: { name: 'affection-out', address: 'x.pstn.twilio.com', numbers: ['+1…'] } });
 */
export async function provisionSip(options: ProvisionSipOptions): Promise<ProvisionSipResult> {
  const { url, apiKey, apiSecret } = requireLivekitCredentials('provisionSip', options);
  if (!options.outbound?.name || !options.outbound.address) {
    throw new Error('provisionSip: outbound.name and outbound.address required');
  }
  const sip = new SipClient(url, apiKey, apiSecret, { failover: false });
  try {
    const outboundTrunk = await provisionOutbound(sip, options.outbound);
    if (!options.inbound) return { outboundTrunk };
    const inboundTrunk = await provisionInbound(sip, options.inbound);
    const dispatchRule = await provisionDispatchRule(sip, options.inbound.dispatchRule, inboundTrunk.id);
    return { outboundTrunk, inboundTrunk, dispatchRule };
  } catch (error) {
    throw telephonyErrorFromLivekit(error, 'provision SIP trunks');
  }
}
