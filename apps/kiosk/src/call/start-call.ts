import { ApiError } from '@affection/ui';
import type { KioskApi, KioskCallJoin } from '../api/kiosk-api.ts';

/** The LiveKit client library, loaded when the first call starts so that the photos appear fast. */
export type Livekit = typeof import('livekit-client');

/** Why a call could not start, each with its own screen. */
export type CallProblem = 'camera' | 'not-yet' | 'ended' | 'cancelled' | 'unavailable' | 'offline' | 'failed';

/** The outcome of {@link startCall}. */
export type StartCallResult =
  | { ok: true; livekit: Livekit; join: KioskCallJoin; tracks: import('livekit-client').LocalTrack[] }
  | { ok: false; problem: CallProblem }
  | { ok: false; problem: 'signed-out' };

function problemOf(error: unknown): CallProblem | 'signed-out' {
  if (!(error instanceof ApiError)) return 'failed';
  if (error.status === 0) return 'offline';
  if (error.status === 401) return 'signed-out';
  if (error.status === 503) return 'unavailable';
  if (
    error.status === 409 &&
    (error.reason === 'not-yet' || error.reason === 'ended' || error.reason === 'cancelled')
  ) {
    return error.reason;
  }
  return 'failed';
}

/**
 * Gets the camera and microphone first (a denied camera gets its own screen before anyone is
 * kept waiting in a room), then asks the server to join the call as `childId`.
 */
export async function startCall(api: KioskApi, bookingId: string, childId: string): Promise<StartCallResult> {
  let livekit: Livekit;
  try {
    livekit = await import('livekit-client');
  } catch {
    return { ok: false, problem: 'offline' };
  }
  let tracks: import('livekit-client').LocalTrack[];
  try {
    tracks = await livekit.createLocalTracks({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: { resolution: livekit.VideoPresets.h540.resolution, facingMode: 'user' },
    });
  } catch {
    return { ok: false, problem: 'camera' };
  }
  try {
    const join = await api.call('POST /api/kiosk/calls/{id}/join', { params: { id: bookingId }, body: { childId } });
    return { ok: true, livekit, join, tracks };
  } catch (error) {
    for (const track of tracks) track.stop();
    return { ok: false, problem: problemOf(error) };
  }
}
