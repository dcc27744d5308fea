import type { ApiResponse } from '@affection/server/contract';
import type { Translate } from '@affection/ui';

/** `GET /api/queues`: the counts, where the boards are, and the session's grant. */
export type QueuesOverview = ApiResponse<'GET /api/queues'>;

const STATES = ['waiting', 'active', 'failed', 'delayed'] as const;

/** The queues in plain words (what each does), with their jobs waiting, running, failed and delayed. */
export function QueueTable({ t, queues }: { t: Translate; queues: QueuesOverview['queues'] }) {
  return (
    <div class="queue-scroll">
      <table class="queue-table">
        <thead>
          <tr>
            <th scope="col">{t('console.queues.col-queue')}</th>
            {STATES.map((state) => (
              <th scope="col" key={state} class="queue-count">
                {t(`console.queues.state.${state}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {queues.map((queue) => (
            <tr key={queue.name} data-queue={queue.name}>
              <th scope="row">
                <div class="queue-name">{t(`console.queues.name.${queue.name}`)}</div>
                <div class="queue-id">{queue.name}</div>
              </th>
              {STATES.map((state) => (
                <td
                  key={state}
                  class={`queue-count${state === 'failed' && queue.failed > 0 ? ' queue-failed' : ''}`}
                  data-state={state}
                >
                  {queue[state]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
