import type { Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { Me } from '../../shell/console-api.ts';
import { csvHref, LEDGERS, ledgerAboutKey, ledgerTitleKey, printHash } from './ledgers.ts';
import type { ReportPeriod } from './report-period.ts';
import { periodText } from './report-words.ts';

/** Options of {@link LedgerList}. */
export interface LedgerListProps {
  t: Translate;
  locale: Locale;
  me: Me;
  period: ReportPeriod;
}

/**
 * The four 台账 of the period, each with "打印" (the A4 print view) and "下载表格 (CSV)" (the server's file). The
 * admin alone may tick "打印完整电话号码" for the roster (the server audits it); a teacher is not offered it.
 */
export function LedgerList({ t, locale, me, period }: LedgerListProps) {
  const [wholePhones, setWholePhones] = useState(false);
  return (
    <section class="card ledgers" aria-labelledby="report-ledgers">
      <h2 id="report-ledgers">{t('console.reports.ledgers')}</h2>
      <p>{t('console.reports.ledgers-intro', { period: periodText(period, t, locale) })}</p>
      <ul class="ledger-list">
        {LEDGERS.map((kind) => {
          const title = t(ledgerTitleKey(kind));
          return (
            <li key={kind} class="ledger-item" data-ledger={kind}>
              <h3>{title}</h3>
              <p class="muted">{t(ledgerAboutKey(kind))}</p>
              {kind === 'roster' && me.role === 'admin' && (
                <label class="ledger-whole">
                  <input
                    type="checkbox"
                    checked={wholePhones}
                    onChange={(event) => setWholePhones(event.currentTarget.checked)}
                  />
                  <span>
                    {t('console.reports.whole-phones')}
                    <span class="ledger-whole-hint">{t('console.reports.whole-phones-hint')}</span>
                  </span>
                </label>
              )}
              <div class="form-actions">
                <a
                  class="btn btn-primary btn-link"
                  href={printHash(kind, period, wholePhones)}
                  aria-label={t('console.reports.print-ledger', { ledger: title })}
                >
                  {t('console.reports.print')}
                </a>
                <a
                  class="btn btn-link"
                  href={csvHref(kind, period)}
                  download
                  aria-label={t('console.reports.download-ledger', { ledger: title })}
                >
                  {t('console.reports.download')}
                </a>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
