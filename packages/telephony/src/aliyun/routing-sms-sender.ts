import type {
  FindSentSmsRequest,
  FindSentSmsResult,
  SendSmsRequest,
  SendSmsResult,
  SmsLookupResult,
  SmsSender,
} from '@affection/core';

/** The providers a message can go through, by the name recorded on it. */
export type RoutedSmsProvider = 'aliyun' | 'twilio' | 'outbox';

/** Options for {@link RoutingSmsSender}. */
export interface RoutingSmsSenderOptions {
  /** Sends to the calling codes in {@link callingCodes} (mainland China). */
  domestic: { name: RoutedSmsProvider; sender: SmsSender };
  /** Sends to every other number. */
  international: { name: RoutedSmsProvider; sender: SmsSender };
  /** Calling codes without the plus that go to {@link domestic}. Default `['86']`. */
  callingCodes?: readonly string[];
}

/**
 * Per-country routing: +86 through the domestic provider (Alibaba Cloud), every other number through the
 * international one (Twilio). {@link providerFor} says which a number goes to, so the sender records it and the
 * caps of that provider apply.
 */
export class RoutingSmsSender implements SmsSender {
  readonly #options: RoutingSmsSenderOptions;
  readonly #callingCodes: readonly string[];

  constructor(options: RoutingSmsSenderOptions) {
    this.#options = options;
    this.#callingCodes = options.callingCodes ?? ['86'];
  }

  /** The provider a number goes to. */
  providerFor(to: string): RoutedSmsProvider {
    return this.#routeOf(to).name;
  }

  #routeOf(to: string): { name: RoutedSmsProvider; sender: SmsSender } {
    return this.#callingCodes.some((code) => to.startsWith(`+${code}`))
      ? this.#options.domestic
      : this.#options.international;
  }

  send(request: SendSmsRequest): Promise<SendSmsResult> {
    return this.#routeOf(request.to).sender.send(request);
  }

  /** Asks the domestic provider first, then the international one (the id alone does not say who has it). */
  async lookup(providerId: string): Promise<SmsLookupResult> {
    const first = await this.#options.domestic.sender.lookup(providerId);
    if (first.ok) return first;
    return this.#options.international.sender.lookup(providerId);
  }

  async findSent(request: FindSentSmsRequest): Promise<FindSentSmsResult> {
    const sender = this.#routeOf(request.to).sender;
    // A sender that cannot be asked declares its sends never ambiguous: nothing can be there.
    return sender.findSent ? sender.findSent(request) : { ok: true, providerId: null };
  }
}
