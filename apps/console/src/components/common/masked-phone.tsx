import type { Translate } from '@affection/ui';

/** `+8613812345678` → `138****5678` (a Chinese mobile), other numbers keep their last four digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (phone.startsWith('+86') && digits.length === 13) return `${digits.slice(2, 5)}****${digits.slice(9)}`;
  if (digits.length <= 4) return '****';
  return `${phone.startsWith('+') ? '+' : ''}${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** A phone number as lists show it: masked, with a label saying so to screen readers. */
export function MaskedPhone({ phone, t }: { phone: string; t: Translate }) {
  return (
    <span class="masked-phone" title={t('console.common.phone-masked')}>
      {maskPhone(phone)}
    </span>
  );
}
