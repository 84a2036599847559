import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createBrowserEngine } from './app/engine';
import { Providers } from './app/providers';
import { appStore } from './app/store';
import { navigate } from './app/use-route';
import { VoiceSession } from './app/voice-session';
import './app/app.css';
import './components/components.css';

// The composition root: the only place real collaborators are created.
const session = new VoiceSession({
  store: appStore,
  createEngine: createBrowserEngine,
  mediaDevices: navigator.mediaDevices as MediaDevices | undefined,
  navigate,
});
window.addEventListener('pagehide', () => session.dispose());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Providers session={session}>
      <App />
    </Providers>
  </StrictMode>,
);
