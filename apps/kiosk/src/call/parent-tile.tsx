import type { RemoteTrack } from 'livekit-client';
import { useEffect, useRef } from 'preact/hooks';
import { PhoneIcon } from '../components/icons.tsx';

/** Props of {@link ParentTile}. */
export interface ParentTileProps {
  /** Their camera, when they show it; else a green circle with a phone. */
  video: RemoteTrack | undefined;
  /** What the child calls them (妈妈), when the kiosk knows which caller this is. */
  caller: string | undefined;
  /** `remote-video` for the first caller, `remote-video-2` for the second. */
  testId: string;
  /** Under the circle: "妈妈在用电话和你说话". */
  note?: string | undefined;
}

/**
 * One caller on the kiosk's call screen: their video filling their part of the screen (all of it for one caller,
 * half for each of two, side by side), or the audio circle when they have no camera on.
 */
export function ParentTile({ video, caller, testId, note }: ParentTileProps) {
  const element = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const target = element.current;
    if (!video || !target) return;
    video.attach(target);
    return () => {
      video.detach(target);
    };
  }, [video]);
  return (
    <div class="call__parent" data-shown={video ? 'video' : 'audio'}>
      {/* biome-ignore lint/a11y/useMediaCaption: a live call between a child and a parent has no captions to give */}
      <video ref={element} class="call__remote" data-testid={testId} autoplay playsInline hidden={!video} />
      {video ? null : (
        <div class="call__audio-avatar">
          <div class="call__audio-circle">
            <PhoneIcon size={96} />
            {caller ? <span>{caller}</span> : null}
          </div>
          {note ? <p>{note}</p> : null}
        </div>
      )}
    </div>
  );
}
