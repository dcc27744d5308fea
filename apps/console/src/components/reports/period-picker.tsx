import type { Locale, MessageKey, Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import { monthPeriod, periodOf, presetsFor, type ReportPeriod } from './report-period.ts';
import { periodText } from './report-words.ts';

/** Options of {@link PeriodPicker}. */
export interface PeriodPickerProps {
  t: Translate;
  locale: Locale;
  /** Today in the Home's zone, `YYYY-MM-DD`: the presets count from it. */
  today: string;
  period: ReportPeriod;
  onPeriod: (period: ReportPeriod) => void;
}

/** 本月 · 上月 · 本学期 · 上学期 as toggle buttons, and any month by the month field; the chosen days below. */
export function PeriodPicker({ t, locale, today, period, onPeriod }: PeriodPickerProps) {
  const id = useId();
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
          <input
            id={id}
            type="month"
            class="field-input"
            max={today.slice(0, 7)}
            value={period.kind === 'month' ? period.code : ''}
            onChange={(event) => {
              const next = monthPeriod(event.currentTarget.value);
              if (next) onPeriod(next);
            }}
          />
        </span>
      </div>
      <p class="reports-period-days">{periodText(period, t, locale)}</p>
    </fieldset>
  );
}
