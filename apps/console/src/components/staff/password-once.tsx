import type { Translate } from '@affection/ui';
import { useRef, useState } from 'preact/hooks';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';

/** Options of {@link PasswordOnce}. */
export interface PasswordOnceProps {
  t: Translate;
  /** Whose password it is (their display name). */
  name: string;
  password: string;
  /** `new` after adding a staff member, `reset` after setting a new password. */
  kind: 'new' | 'reset';
  onClose: () => void;
}

/**
 * A password shown once, large, with a copy button and the plain note that it will not be shown
 * again. Closing the dialog drops it: the server keeps only its hash.
 */
export function PasswordOnce({ t, name, password, kind, onClose }: PasswordOnceProps) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const textRef = useRef<HTMLOutputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      // Without a secure page the clipboard API is missing: select the text so Ctrl+C copies it.
      const range = document.createRange();
      if (textRef.current) range.selectNodeContents(textRef.current);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      setCopied('no');
    }
  };
  return (
    <Dialog
      title={t(kind === 'new' ? 'console.staff.password-new-title' : 'console.staff.password-reset-title', { name })}
      onClose={onClose}
      closeLabel={t('console.staff.close')}
    >
      <p>{t('console.staff.password-label', { name })}</p>
      <output ref={textRef} class="staff-password" data-password aria-label={t('console.staff.password')}>
        {password}
      </output>
      <p class="staff-password-note">{t('console.staff.password-note')}</p>
      {copied === 'yes' && <p role="status">{t('console.staff.copied')}</p>}
      {copied === 'no' && <p role="status">{t('console.staff.copy-by-hand')}</p>}
      <div class="form-actions">
        <Button kind="primary" onClick={copy}>
          {t('console.staff.copy')}
        </Button>
        <Button onClick={onClose}>{t('console.staff.password-done')}</Button>
      </div>
    </Dialog>
  );
}
