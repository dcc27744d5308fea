import type { Translate } from '@affection/ui';
import { useId, useState } from 'preact/hooks';
import { Button } from '../common/button.tsx';

/**
 * The QR code's link as text, on screen only: for a parent who cannot get the paper card, the teacher
 * copies it into a message. Copying needs a secure page; elsewhere the text is selected to copy by hand.
 */
export function LinkToSend({ t, url }: { t: Translate; url: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async (input: HTMLInputElement | null) => {
    input?.select();
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard here (a page not served over https): the selected text can be copied by hand.
    }
  };
  return (
    <div class="link-to-send no-print">
      <label for={id}>{t('console.cards.link-text')}</label>
      <div class="link-to-send-row">
        <input id={id} class="field-input" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <Button onClick={(e) => copy((e.currentTarget.previousElementSibling as HTMLInputElement) ?? null)}>
          {copied ? t('console.cards.link-copied') : t('console.cards.link-copy')}
        </Button>
      </div>
    </div>
  );
}
