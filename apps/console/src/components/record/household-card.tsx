import type { Translate } from '@affection/ui';
import type { HouseholdDetail } from './record-types.ts';

/** Options of {@link HouseholdCard}. */
export interface HouseholdCardProps {
  household: HouseholdDetail;
  childId: string;
  t: Translate;
  onOpen: (childId: string) => void;
}

/** The household and the child's brothers and sisters (each opens its own record). */
export function HouseholdCard({ household, childId, t, onOpen }: HouseholdCardProps) {
  const siblings = household.children.filter((child) => child.id !== childId);
  return (
    <section class="card record-card" aria-labelledby="record-household">
      <h2 id="record-household">{t('console.record.household')}</h2>
      <p>
        <strong>{household.name}</strong>
        {household.archivedAt && <span class="tag">{t('console.children.archived')}</span>}
      </p>
      <h3>{t('console.record.siblings')}</h3>
      {siblings.length === 0 ? (
        <p class="muted">{t('console.record.no-siblings')}</p>
      ) : (
        <ul class="plain-list">
          {siblings.map((sibling) => (
            <li key={sibling.id}>
              <a
                href={`#/children/${sibling.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  onOpen(sibling.id);
                }}
              >
                {sibling.familyName}
                {sibling.givenName}
              </a>
              {sibling.className && <span class="muted"> · {sibling.className}</span>}
              {sibling.archivedAt && <span class="tag">{t('console.children.archived')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
