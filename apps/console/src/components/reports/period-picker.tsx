import type { Locale, MessageKey, Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import './period-picker.css';
import { monthCodeOf, monthPeriod, periodOf, presetsFor, type ReportPeriod } from './report-period.ts';
import { monthLabel, periodText } from './report-words.ts';

/** Months the month list offers: this one and the two years before it. */
const MONTHS_OFFERED = 25;

/** Options of {@link PeriodPicker}. */
export interface PeriodPickerProps {
  t: Translate;
  locale: Locale;
  /** Today in the Home's zone, `YYYY-MM-DD`: the presets count from it. */
  today: string;
  period: ReportPeriod;
  onPeriod: (period: ReportPeriod) => void;
}

/** 本月 · 上月 · 本学期 · 上学期 as toggle buttons, and any month of the last two years from a list; the chosen days below. */
export function PeriodPicker({ t, locale, today, period, onPeriod }: PeriodPickerProps) {
  const id = useId();
  const months = Array.from({ length: MONTHS_OFFERED }, (_, n) => monthCodeOf(today, -n));
  // A month from the address older than the list still shows as chosen.
  if (period.kind === 'month' && !months.includes(period.code)) months.push(period.code);
  return (
    <fieldset class="reports-fieldset">
      <legend class="field-label">{t('console.reports.period')}</legend>
      <div class="reports-presets">
        {presetsFor(today).map((preset) => (
          <button
            key={preset.key}
            type="button"
            class={`btn ${preset.code === period.code ? 'btn-primary' : 'btn-plain'}`}
            aria-pressed={preset.code === period.code}
            onClick={() => {
              const next = periodOf(preset.code);
              if (next) onPeriod(next);
            }}
          >
            {t(`console.reports.preset.${preset.key}` as MessageKey)}
          </button>
        ))}
        <span class="reports-month">
          <label for={id}>{t('console.reports.pick-month')}</label>
          <select
            id={id}
            class="field-input"
            value={period.kind === 'month' ? period.code : ''}
            onChange={(event) => {
              const next = monthPeriod(event.currentTarget.value);
              if (next) onPeriod(next);
            }}
          >
            {period.kind !== 'month' && <option value="">{t('console.reports.choose')}</option>}
            {months.map((code) => (
              <option key={code} value={code}>
                {monthLabel(code, locale)}
              </option>
            ))}
          </select>
        </span>
      </div>
      <p class="reports-period-days">{periodText(period, t, locale)}</p>
    </fieldset>
  );
}
