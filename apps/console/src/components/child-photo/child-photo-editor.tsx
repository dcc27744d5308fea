import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { drawSquare, encodeSquare, loadPicture, type Picture, type SquareCrop, turnPicture } from './square-crop.ts';
import './child-photo.css';

/** Options of {@link ChildPhotoEditor}. */
export interface ChildPhotoEditorProps {
  api: ConsoleApi;
  childId: string;
  /** The child's current photo (`photoUrl` of the child), null when there is none. */
  photoUrl: string | null;
  /** Called with the new URL after a save, or null after removing the photo. */
  onChanged: (photoUrl: string | null) => void;
  t: Translate;
  locale: Locale;
  /** The child's name, for the picture's text alternative. */
  childName?: string;
}

const NO_CROP: SquareCrop = { zoom: 1, offsetX: 0, offsetY: 0 };

/**
 * The child's photo for the kiosk tile: choose a file on the PC or take one with the tablet's
 * camera, crop it to a square (zoom and move), see it as the kiosk will, and save. The page makes
 * the 512×512 picture itself, so the server needs no image library.
 */
export function ChildPhotoEditor({ api, childId, photoUrl, onChanged, t, childName }: ChildPhotoEditorProps) {
  const [picture, setPicture] = useState<Picture | null>(null);
  const [crop, setCrop] = useState<SquareCrop>(NO_CROP);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const preview = useRef<HTMLCanvasElement>(null);
  const id = useId();
  const alt = childName ? t('console.photo.alt', { name: childName }) : t('console.photo.title');

  useEffect(() => {
    if (picture && preview.current) drawSquare(preview.current, picture, crop);
  }, [picture, crop]);

  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setProblem(null);
    setDone(null);
    try {
      setPicture(await loadPicture(file));
      setCrop(NO_CROP);
    } catch {
      setProblem(t('console.photo.unreadable'));
    }
  };

  const save = async () => {
    if (!picture) return;
    const image = encodeSquare(picture, crop);
    if (!image) {
      setProblem(t('error.photo.too-large'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.call('PUT /api/children/{id}/photo', { params: { id: childId }, body: { image } });
      setPicture(null);
      setDone(t('console.photo.saved'));
      onChanged(saved.photoUrl);
    } catch (caught) {
      setProblem(problemText(caught as ApiError, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.call('DELETE /api/children/{id}/photo', { params: { id: childId } });
      setConfirmRemove(false);
      setDone(t('console.photo.removed'));
      onChanged(null);
    } catch (caught) {
      setProblem(problemText(caught as ApiError, t));
    } finally {
      setBusy(false);
    }
  };

  const slider = (key: keyof SquareCrop, label: string, min: number, max: number) => (
    <div class="photo-slider">
      <label for={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type="range"
        min={min}
        max={max}
        step={0.01}
        value={crop[key]}
        onInput={(event) => setCrop({ ...crop, [key]: Number(event.currentTarget.value) })}
      />
    </div>
  );

  return (
    <section class="card record-card child-photo" aria-labelledby={`${id}-title`} data-testid="child-photo">
      <h2 id={`${id}-title`}>{t('console.photo.title')}</h2>
      <p class="photo-hint">{t('console.photo.hint')}</p>
      {done && <Banner kind="ok">{done}</Banner>}
      {problem && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {picture ? (
        <div class="photo-crop">
          <p class="photo-hint">{t('console.photo.crop-hint')}</p>
          <div class="photo-crop-body">
            <figure class="photo-figure">
              <canvas
                ref={preview}
                width={240}
                height={240}
                class="photo-round"
                role="img"
                aria-label={t('console.photo.preview')}
              />
              <figcaption>{t('console.photo.preview')}</figcaption>
            </figure>
            <div class="photo-sliders">
              {slider('zoom', t('console.photo.zoom'), 1, 3)}
              {slider('offsetX', t('console.photo.move-x'), -1, 1)}
              {slider('offsetY', t('console.photo.move-y'), -1, 1)}
              <Button onClick={() => setPicture(turnPicture(picture))} disabled={busy}>
                {t('console.photo.turn')}
              </Button>
            </div>
          </div>
          <div class="form-actions">
            <Button kind="primary" busy={busy} onClick={save}>
              {t('console.photo.save')}
            </Button>
            <Button onClick={() => setPicture(null)} disabled={busy}>
              {t('console.common.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div class="photo-current">
          {photoUrl ? (
            <img class="photo-round" src={photoUrl} alt={alt} width={160} height={160} />
          ) : (
            <div class="photo-round photo-empty" aria-hidden="true">
              {childName ? childName.slice(-2) : ''}
            </div>
          )}
          <div class="photo-actions">
            {!photoUrl && <p class="photo-none">{t('console.photo.none')}</p>}
            <label class="btn btn-plain photo-pick">
              <input type="file" accept="image/*" class="visually-hidden" onChange={choose} />
              {photoUrl ? t('console.photo.replace') : t('console.photo.choose')}
            </label>
            <label class="btn btn-plain photo-pick">
              <input type="file" accept="image/*" capture="environment" class="visually-hidden" onChange={choose} />
              {t('console.photo.camera')}
            </label>
            {photoUrl && (
              <Button kind="danger" onClick={() => setConfirmRemove(true)} disabled={busy}>
                {t('console.photo.remove')}
              </Button>
            )}
          </div>
        </div>
      )}
      {confirmRemove && (
        <Dialog
          title={t('console.photo.remove')}
          onClose={() => setConfirmRemove(false)}
          closeLabel={t('console.common.close')}
        >
          <p>{t('console.photo.remove-confirm')}</p>
          <div class="form-actions">
            <Button kind="danger" busy={busy} onClick={remove}>
              {t('console.photo.remove')}
            </Button>
            <Button onClick={() => setConfirmRemove(false)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
