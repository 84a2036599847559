import './app/zod-config';
import { parseWithoutCodeGeneration } from '@parley/protocol';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createBrowserEngine } from './app/engine';
import { Providers } from './app/providers';
import { parseRoute } from './app/routes';
import { appRenders, appStore } from './app/store';
import { inBackground } from './app/background-task';
import { navigate } from './app/use-route';
import { browserStorage } from './app/browser-storage';
import { SessionMemory } from './app/stored-session';
import { OwnerKeys } from './app/owner-keys';
import { takeInvitation } from './app/invite-link';
import { classifyMicError, microphoneGranted, openMicrophone, watchMicrophonePermissionState } from './features/voice/microphone';
import { MicrophoneWarmup } from './features/voice/microphone-warmup';
import { resumeAudio } from './features/voice/audio-context';
import { pauseAudioWhileLinksForm } from './features/voice/audio-pause';
import { startBrowserRoomCues } from './features/voice/browser-room-cues';
import { DeviceDirectory } from './features/voice/device-directory';
import { suppressNoise } from './features/voice/noise-suppression';
import { VoiceSession } from './app/voice-session';
import { startBrowserChat } from './features/chat';
import { persistVoiceSettings } from './features/voice/voice-settings-storage';
import { persistPersonalVolumes } from './features/voice/personal-volume-storage';
import './app/app.css';
import './components/components.css';

// The composition root: the only place real collaborators are created.
parseWithoutCodeGeneration();
const mediaDevices = navigator.mediaDevices as MediaDevices | undefined;
const microphonePermission = watchMicrophonePermissionState(navigator.permissions as Permissions | undefined);
const microphoneAllowed = microphoneGranted(microphonePermission);
// The pickers' lists, kept in the store for the page's lifetime. A listing arrives on its own, as
// an engine event does: React hears of it in the background (a Join under way goes first).
const deviceDirectory =
  mediaDevices && new DeviceDirectory(mediaDevices, (lists) => appRenders.offstage(() => appStore.getState().devicesListed(lists)));
deviceDirectory?.start();
const microphoneWarmup =
  mediaDevices &&
  new MicrophoneWarmup({
    open: () => openMicrophone(mediaDevices, appStore.getState().voiceSettings),
    // Where the site is blocked, asking again only fails: Join explains it.
    mayAsk: async () => (await microphonePermission()) !== 'denied',
    failed: (error) => appStore.getState().micFailed(classifyMicError(error)),
  });
// Once allowed, the devices have names: list them again. Not when Join takes the form's
// microphone (the warm-up then has none): nothing about the devices changed.
microphoneWarmup?.subscribe(() => {
  if (microphoneWarmup.track()) void deviceDirectory?.name();
});
// An invite link's token rides in the fragment: read it once and take it off the address bar.
const invitation = takeInvitation(window.location, window.history);
const session = new VoiceSession({
  store: appStore,
  // The engine's code arrives in its own chunk; if it cannot, say so as a failed start would.
  createEngine: (options) =>
    createBrowserEngine(options, (error) =>
      appStore.getState().errorRaised({
        reason: 'unexpected',
        recoverable: false,
        detail: error instanceof Error ? error.message : String(error),
      }),
    ),
  mediaDevices,
  microphoneAllowed,
  ...(microphoneWarmup === undefined ? {} : { microphoneWarmup }),
  ...(deviceDirectory === undefined ? {} : { microphone: { suppressNoise, listDevices: () => deviceDirectory.refresh(), nameDevices: () => deviceDirectory.name(), later: inBackground } }),
  navigate,
  memory: new SessionMemory(browserStorage('sessionStorage')),
  startChat: startBrowserChat,
  ownerKeys: new OwnerKeys(browserStorage('localStorage')),
  ...(invitation === undefined ? {} : { invitation }),
  resumeAudio,
  startCues: startBrowserRoomCues,
  offstage: appRenders.offstage,
  together: appRenders.together,
});
// Push to talk and the like: read before a rejoin, kept on every change.
persistVoiceSettings(appStore, browserStorage('localStorage'));
// How loud you want each person, by their name: applied whenever they join.
persistPersonalVolumes(appStore, browserStorage('localStorage'));
// While someone joins, the meters' audio context rests (meter-context.ts).
pauseAudioWhileLinksForm(appStore);
// A reload or a closed tab is not a leave: the socket just drops and the server
// keeps you as "reconnecting" for a grace period. Only the Leave button leaves.
const route = parseRoute(window.location.pathname);
if (route.kind === 'room') void session.rejoin(route.roomId);
// The network is back: do not wait for the next scheduled reconnect attempt.
window.addEventListener('online', () => session.retryNow());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Providers session={session}>
      <App />
    </Providers>
  </StrictMode>,
);
