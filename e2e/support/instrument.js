// Injected into every test page before the app loads. It observes the real
// WebSocket and RTCPeerConnection objects the app uses, without changing their
// behaviour, so tests can ask "how much audio has this page received from Ada?"
// exactly as chrome://webrtc-internals would show it.
(() => {
  const names = new Map(); // userId -> display name, from roster frames
  const pcs = []; // every RTCPeerConnection the page created, in order
  /** How often (every 50 ms) a received description is looked for among the page's connections. */
  const TAG_TRIES = 100;
  const pcPeer = new WeakMap(); // pc -> remote userId

  // What a negotiation costs, counted where the browser sees it: every local
  // offer applied, and those of them that changed the ICE credentials (an ICE
  // restart). A rebuilt link shows up as a second RTCPeerConnection to one peer.
  const counts = { offers: 0, iceRestarts: 0 };
  const ufragOf = (sdp) => (/a=ice-ufrag:(\S+)/.exec(sdp || '') || [])[1];

  const NativePC = window.RTCPeerConnection;
  class ObservedPC extends NativePC {
    constructor(...args) {
      super(...args);
      pcs.push(this);
    }
    async setLocalDescription(description) {
      const before = this.localDescription && ufragOf(this.localDescription.sdp);
      const result = await super.setLocalDescription(description);
      const local = this.localDescription;
      if (local && local.type === 'offer') {
        counts.offers++;
        if (before && ufragOf(local.sdp) !== before) counts.iceRestarts++;
      }
      return result;
    }
  }
  window.RTCPeerConnection = ObservedPC;

  // Every media element the page asked to play: whether remote audio reaches a speaker.
  const players = new Set();
  const nativePlay = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function play(...args) {
    players.add(this);
    return nativePlay.apply(this, args);
  };

  // The level of each remote voice after the page's own gain stage (Parley's
  // per-person volume): every MediaStreamAudioSourceNode is remembered with
  // its stream, and a GainNode fed by one that connects to the destination
  // gets an AnalyserNode hung off its output. The analyser measures the real
  // audio after the gain; it is connected to nothing else, so it changes
  // nothing the person hears. Peaks are kept for the last second, because
  // the fake microphone's tone comes and goes five times a second.
  const sourceStreams = new WeakMap(); // MediaStreamAudioSourceNode -> MediaStream
  const gainFeeds = new WeakMap(); // GainNode -> { stream, source }
  const probes = []; // { gain, stream, analyser, input, peaks, inputPeaks, energy, readAt }
  let probeTimer = 0;
  const PEAK_WINDOW = 20; // readings 50 ms apart: one second

  // Tests keep the engine's step-by-step log (each page's console goes to a file, for reading a
  // failure); benchmarks, like users, get warnings only (apps/web/src/app/engine.ts, LOG_LEVEL_KEY).
  if (!window.__parleyLeanInstrument) {
    try {
      window.localStorage.setItem('parley.logLevel', 'info');
    } catch {
      // An opaque origin (about:blank) has no storage; nothing to log there.
    }
  }

  // Benchmarks set __parleyLeanInstrument: they compare Parley's CPU with a
  // baseline page that has no gain stage to hang analysers on, and these
  // readings (20 a second, two analysers per voice) are the tests' own cost.
  if (window.AudioContext && !window.__parleyLeanInstrument) {
    const nativeCreateSource = AudioContext.prototype.createMediaStreamSource;
    AudioContext.prototype.createMediaStreamSource = function (stream) {
      const node = nativeCreateSource.call(this, stream);
      sourceStreams.set(node, stream);
      return node;
    };

    const nativeConnect = AudioNode.prototype.connect;
    const nativeDisconnect = AudioNode.prototype.disconnect;
    AudioNode.prototype.connect = function (target, ...rest) {
      const result = nativeConnect.call(this, target, ...rest);
      if (sourceStreams.has(this) && target instanceof GainNode) gainFeeds.set(target, { stream: sourceStreams.get(this), source: this });
      // A gain stage that plays: to the context's device, or to its way out (a MediaStreamAudioDestinationNode an element plays).
      const plays = target === this.context.destination || target instanceof MediaStreamAudioDestinationNode;
      if (this instanceof GainNode && plays && gainFeeds.has(this)) {
        const { stream, source } = gainFeeds.get(this);
        const analyser = this.context.createAnalyser();
        analyser.fftSize = 2048;
        nativeConnect.call(this, analyser);
        // The same voice before the gain: the person's volume is the ratio of the two.
        const input = this.context.createAnalyser();
        input.fftSize = 2048;
        nativeConnect.call(source, input);
        probes.push({ gain: this, stream, analyser, input, peaks: [], inputPeaks: [], energy: 0, readAt: performance.now() });
        if (!probeTimer) probeTimer = setInterval(readProbes, 50);
      }
      return result;
    };
    AudioNode.prototype.disconnect = function (...args) {
      if (this instanceof GainNode) {
        const index = probes.findIndex((p) => p.gain === this);
        if (index >= 0) {
          const [probe] = probes.splice(index, 1);
          nativeDisconnect.call(probe.input);
        }
      }
      return nativeDisconnect.apply(this, args);
    };
  }

  // For voices(): each link's inbound energy readings over the last second, and the
  // sender's level of each RTP packet (the ssrc-audio-level header), sampled 20 times a
  // second from the first voices() call on.
  const energyHistory = new WeakMap(); // pc -> [{ at, energy, duration }]
  const sourcePeaks = new WeakMap(); // pc -> [{ at, level }]
  let sourceTimer = 0;
  function startSourceSampler() {
    if (sourceTimer) return;
    sourceTimer = setInterval(() => {
      const now = performance.now();
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        const levels = pc.getReceivers().flatMap((r) => (r.track && r.track.kind === 'audio' ? r.getSynchronizationSources() : []));
        const list = sourcePeaks.get(pc) || [];
        list.push({ at: now, level: Math.max(0, ...levels.map((x) => x.audioLevel || 0)) });
        while (list.length > 0 && now - list[0].at > 1000) list.shift();
        sourcePeaks.set(pc, list);
      }
    }, 50);
  }

  const samples = new Float32Array(2048);
  /** The peak and the mean square of an analyser's latest samples. */
  function levelsOf(analyser) {
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    let squares = 0;
    for (const sample of samples) {
      peak = Math.max(peak, Math.abs(sample));
      squares += sample * sample;
    }
    return { peak, meanSquare: squares / samples.length };
  }
  function readProbes() {
    const now = performance.now();
    for (const probe of probes) {
      const { peak, meanSquare } = levelsOf(probe.analyser);
      // Energy as the stats define totalAudioEnergy (mean square x seconds), over the time since the last reading.
      probe.energy += meanSquare * Math.min(0.2, (now - probe.readAt) / 1000);
      probe.readAt = now;
      probe.peaks.push(peak);
      if (probe.peaks.length > PEAK_WINDOW) probe.peaks.shift();
      probe.inputPeaks.push(levelsOf(probe.input).peak);
      if (probe.inputPeaks.length > PEAK_WINDOW) probe.inputPeaks.shift();
    }
  }

  /** The gain stages playing the streams `pc` receives, oldest first. */
  function probesOf(pc) {
    const tracks = pc.getReceivers().map((r) => r.track);
    return probes.filter((p) => p.stream.getAudioTracks().some((t) => tracks.includes(t)));
  }

  /** The energy heard so far through the gain stages of the streams `pc` receives. */
  function heardThroughStages(pc) {
    return probesOf(pc).reduce((sum, p) => sum + p.energy, 0);
  }

  /** Whose voice a stream carries: the peer of the connection that receives its track. */
  function userOfStream(stream) {
    const track = stream.getAudioTracks()[0];
    if (!track) return null;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      if (pc.getReceivers().some((r) => r.track === track)) return pcPeer.get(pc) || null;
    }
    return null;
  }

  function remember(participant) {
    if (participant && participant.userId) names.set(participant.userId, participant.displayName);
  }

  let lastWelcome = null;
  let welcomes = 0;

  function onServerFrame(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.type === 'session.welcome') {
      lastWelcome = msg;
      welcomes++;
    }
    if (msg.type === 'room.joined') msg.participants.forEach(remember);
    if (msg.type === 'peer.joined') remember(msg.participant);
    if (msg.type === 'peer.signal' && msg.signal && msg.signal.kind === 'description') {
      const origin = originLine(msg.signal.description.sdp);
      // The pc that applies this remote description is the link to msg.from. A busy page applies
      // it late (behind other links' descriptions), so look again for up to TAG_TRIES * 50 ms.
      let tries = 0;
      const look = () => {
        if (!tag(msg.from, (pc) => pc.remoteDescription && originLine(pc.remoteDescription.sdp) === origin) && ++tries < TAG_TRIES) setTimeout(look, 50);
      };
      queueMicrotask(look);
    }
  }

  /**
   * A description's o= line: its session id (random, one per connection) and
   * version. The link compares by it because the text itself changes on the
   * way: the receiver tunes Opus in it before applying it, and a local
   * description gains its candidates while it waits to be sent (a rebuild
   * made while the server was away is sent once it is back).
   */
  function originLine(sdp) {
    const match = /^o=.*$/m.exec(sdp || '');
    return match ? match[0] : null;
  }

  /** Tags every connection `match` picks as the link to `userId`; whether there was one. */
  function tag(userId, match) {
    let found = false;
    for (const pc of pcs) {
      if (!match(pc)) continue;
      pcPeer.set(pc, userId);
      found = true;
    }
    return found;
  }

  const nativeSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      try {
        const msg = JSON.parse(data);
        if (msg.type === 'peer.signal' && msg.signal && msg.signal.kind === 'description') {
          const origin = originLine(msg.signal.description.sdp);
          tag(msg.to, (pc) => pc.localDescription && originLine(pc.localDescription.sdp) === origin);
        }
      } catch {}
    }
    return nativeSend.call(this, data);
  };

  const sockets = [];
  const NativeWS = window.WebSocket;
  class ObservedWS extends NativeWS {
    constructor(...args) {
      super(...args);
      sockets.push(this);
      this.addEventListener('message', (event) => {
        if (typeof event.data === 'string') onServerFrame(event.data);
      });
    }
  }
  window.WebSocket = ObservedWS;

  window.__parleyTest = {
    /**
     * One entry per live link: which RTCPeerConnection it is (`linkId`, the
     * order of creation; a rebuilt link gets a new one and counters from zero),
     * the remote's name and its inbound audio counters; `heardEnergy` is the
     * energy of what the page plays for that person (see below).
     */
    async links() {
      const out = [];
      for (const [index, pc] of pcs.entries()) {
        if (pc.connectionState === 'closed') continue;
        const userId = pcPeer.get(pc);
        const entry = {
          linkId: index,
          userId: userId || null,
          name: userId ? names.get(userId) || null : null,
          connectionState: pc.connectionState,
          iceConnectionState: pc.iceConnectionState,
          bytesReceived: 0,
          totalAudioEnergy: 0,
          heardEnergy: 0,
          audioLevel: 0,
          localCandidateType: null,
        };
        const report = await pc.getStats();
        let selectedPair = null;
        report.forEach((s) => {
          if (s.type === 'transport' && s.selectedCandidatePairId) selectedPair = report.get(s.selectedCandidatePairId);
        });
        if (selectedPair) {
          const local = report.get(selectedPair.localCandidateId);
          entry.localCandidateType = local ? local.candidateType : null;
        }
        report.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            entry.bytesReceived += s.bytesReceived || 0;
            entry.totalAudioEnergy += s.totalAudioEnergy || 0;
            entry.audioLevel = Math.max(entry.audioLevel, s.audioLevel || 0);
          }
        });
        // What the person hears: the stats' energy where an element plays the
        // stream, the energy after the gain stage where Web Audio plays it
        // (its muted helper element makes the stats report none).
        entry.heardEnergy = entry.totalAudioEnergy + heardThroughStages(pc);
        out.push(entry);
      }
      return out;
    },
    /** The media elements the page plays: each one's live audio tracks, and whether it is paused or muted. */
    audioPlayback() {
      return [...players]
        .filter((el) => el.srcObject)
        .map((el) => ({
          liveTracks: el.srcObject.getAudioTracks().filter((t) => t.readyState === 'live').length,
          paused: el.paused,
          muted: el.muted,
        }));
    },
    /**
     * One entry per remote voice routed through a gain stage (a voice above
     * 100 %): whose it is, the gain's value, and whether the page's audio runs
     * at all. What it sounds like is voices()' business.
     */
    gainStages() {
      return probes.map((probe) => {
        const userId = userOfStream(probe.stream);
        return {
          userId,
          name: userId ? names.get(userId) || null : null,
          gain: probe.gain.gain.value,
          liveTracks: probe.stream.getAudioTracks().filter((t) => t.readyState === 'live' && t.enabled).length,
          running: probe.gain.context.state === 'running',
        };
      });
    },
    /**
     * One entry per remote voice: what this page plays of it over about the
     * last second (`level`) and what arrived (`inputPeak`). Through a gain
     * stage (a voice above 100 %), the analysers after and before the gain;
     * through an element, the link's inbound-rtp energy (Chromium applies the
     * element's volume and mute in the receiver, so that is what is played;
     * it sums each 10 ms frame's peak squared, so its root over the window is
     * a peak-like level), and the sender's level carried in each RTP packet
     * (getSynchronizationSources). `measured`: the window is long enough
     * (half a second) for a level of 0 to mean silence.
     */
    async voices() {
      startSourceSampler();
      const out = [];
      const now = performance.now();
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        const userId = pcPeer.get(pc) || null;
        const probe = probesOf(pc).at(-1);
        if (probe) {
          out.push({
            userId,
            name: userId ? names.get(userId) || null : null,
            through: 'gain',
            measured: probe.peaks.length >= 10,
            level: probe.peaks.length ? Math.max(...probe.peaks) : 0,
            inputPeak: probe.inputPeaks.length ? Math.max(...probe.inputPeaks) : 0,
          });
          continue;
        }
        let energy = 0;
        let duration = 0;
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            energy += s.totalAudioEnergy || 0;
            duration += s.totalSamplesDuration || 0;
          }
        });
        const history = energyHistory.get(pc) || [];
        history.push({ at: now, energy });
        while (history.length > 2 && now - history[1].at >= 1000) history.shift();
        energyHistory.set(pc, history);
        // Over wall-clock time, not the samples' duration: an element that does not play
        // pulls no samples, and that is a second of silence, not no reading.
        const seconds = (now - history[0].at) / 1000;
        const sampled = sourcePeaks.get(pc) || [];
        out.push({
          userId,
          name: userId ? names.get(userId) || null : null,
          through: 'element',
          measured: seconds >= 0.5,
          level: seconds > 0 ? Math.sqrt(Math.max(0, energy - history[0].energy) / seconds) : 0,
          inputPeak: sampled.length ? Math.max(...sampled.map((x) => x.level)) : 0,
        });
      }
      return out;
    },
    /** How many RTCPeerConnections this page has ever created. */
    peerConnectionsCreated() {
      return pcs.length;
    },
    /**
     * Offers this page made, ICE restarts among them, and rebuilds: peer
     * connections beyond the first one to the same person.
     */
    negotiationCounts() {
      const perPeer = new Map();
      for (const pc of pcs) {
        const userId = pcPeer.get(pc);
        if (userId) perPeer.set(userId, (perPeer.get(userId) || 0) + 1);
      }
      let rebuilds = 0;
      for (const n of perPeer.values()) rebuilds += n - 1;
      return { peerConnections: pcs.length, offers: counts.offers, iceRestarts: counts.iceRestarts, rebuilds };
    },
    /** The last session.welcome the server sent this page. */
    lastWelcome() {
      return lastWelcome;
    },
    /** How many session.welcome frames this page has received (one per (re)connect). */
    welcomes() {
      return welcomes;
    },
    /** Close the app's signaling socket(s) as a network fault would. */
    dropSockets() {
      for (const ws of sockets) if (ws.readyState <= 1) ws.close();
    },
  };
})();
