/**
 * Page script for the join trace (join-trace.ts): notes, on the page's own
 * clock, each step a join takes where the browser sees it: the microphone
 * request, every frame on the signaling socket (by type), every peer
 * connection's descriptions (asked for and applied), its ICE and connection
 * states, every synchronous call into a connection (or its receivers and
 * senders) that held the main thread 10 ms or more, every long task (main
 * thread busy 50 ms or more), and from long animation frames each script that
 * ran 20 ms or more (named by what invoked it) and the frame's rendering. A synchronous call waits for the browser's
 * WebRTC threads; on a starved machine that wait is what it costs. Loaded
 * after the benchmark probe. Parley and the baseline page are traced by the
 * same script, so their timelines compare step for step.
 */
export const traceScript = `(() => {
  const events = [];
  window.__parleyTrace = events;
  const note = (what) => events.push({ at: performance.now(), what });

  // Frame types, for both wire formats: Parley's { type, signal: { kind } } and the baseline's { type, data }.
  const frameName = (text) => {
    try {
      const msg = JSON.parse(text);
      const signal = msg.signal ? msg.signal.kind + (msg.signal.description ? ':' + msg.signal.description.type : '') : '';
      const data = msg.data ? (msg.data.description ? 'description:' + msg.data.description.type : 'candidate') : '';
      return msg.type + (signal || data ? ' ' + (signal || data) : '');
    } catch {
      return 'binary';
    }
  };
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(...args) {
      super(...args);
      note('ws open asked');
      this.addEventListener('open', () => note('ws opened'));
      this.addEventListener('message', (event) => note('ws< ' + frameName(event.data)));
    }
    send(data) {
      note('ws> ' + frameName(data));
      return super.send(data);
    }
  };

  const nativeGum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (...args) => {
    note('mic asked');
    try {
      const stream = await nativeGum(...args);
      // The page's latest microphone, for join-trace.ts's control on the form.
      window.__parleyTraceMic = stream.getAudioTracks()[0];
      return stream;
    } finally {
      note('mic given');
    }
  };

  // Synchronous calls into a connection that held the main thread 10 ms or more.
  const timed = (owner, name) => {
    const native = owner.prototype[name];
    if (typeof native !== 'function') return;
    owner.prototype[name] = function (...args) {
      const startedAt = performance.now();
      try {
        return native.apply(this, args);
      } finally {
        const took = performance.now() - startedAt;
        if (took >= 10) events.push({ at: startedAt, what: (this.__traceId || '') + ' ' + name + ' held the main thread ' + Math.round(took) + ' ms' });
      }
    };
  };
  for (const name of ['addTrack', 'addTransceiver', 'createDataChannel', 'addIceCandidate', 'getTransceivers', 'getStats', 'getReceivers', 'getSenders', 'setConfiguration', 'close']) timed(RTCPeerConnection, name);
  timed(RTCRtpReceiver, 'getSynchronizationSources');
  timed(RTCRtpSender, 'replaceTrack');

  let pcCount = 0;
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      const startedAt = performance.now();
      super(...args);
      const id = 'pc' + ++pcCount;
      // Always noted, however short: it is also where the connection's steps start.
      note(id + ' constructor held the main thread ' + Math.round(performance.now() - startedAt) + ' ms');
      this.__traceId = id;
      this.addEventListener('iceconnectionstatechange', () => note(id + ' ice ' + this.iceConnectionState));
      this.addEventListener('connectionstatechange', () => note(id + ' connection ' + this.connectionState));
      this.addEventListener('negotiationneeded', () => note(id + ' negotiationneeded'));
    }
    async setLocalDescription(description) {
      note(this.__traceId + ' setLocal asked');
      const result = await super.setLocalDescription(description);
      note(this.__traceId + ' setLocal ' + (this.localDescription && this.localDescription.type));
      return result;
    }
    async setRemoteDescription(description) {
      note(this.__traceId + ' setRemote asked ' + description.type);
      const result = await super.setRemoteDescription(description);
      note(this.__traceId + ' setRemote ' + description.type);
      return result;
    }
  };

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) events.push({ at: entry.startTime, what: 'long task ' + Math.round(entry.duration) + ' ms' });
    }).observe({ type: 'longtask' });
  } catch {
    // No long task timing in this browser.
  }

  // What ran in them: long animation frames name each script that ran 20 ms or more (what invoked
  // it: a socket message, a timer, a React task, a connection's event) and the frame's own style
  // and layout, on the wall clock.
  try {
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries()) {
        for (const script of frame.scripts || []) {
          if (script.duration < 20) continue;
          const where = script.sourceFunctionName ? ' ' + script.sourceFunctionName : '';
          events.push({ at: script.startTime, what: 'script ' + script.invoker + where + ' ran ' + Math.round(script.duration) + ' ms' });
        }
        const rendering = frame.renderStart > 0 ? frame.startTime + frame.duration - frame.renderStart : 0;
        if (rendering >= 20) events.push({ at: frame.renderStart, what: 'script (rendering) ran ' + Math.round(rendering) + ' ms' });
      }
    }).observe({ type: 'long-animation-frame' });
  } catch {
    // No long animation frame timing in this browser.
  }
})();`;

export type TraceEvent = { at: number; what: string };
