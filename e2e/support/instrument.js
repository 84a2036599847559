// Injected into every test page before the app loads. It observes the real
// WebSocket and RTCPeerConnection objects the app uses, without changing their
// behaviour, so tests can ask "how much audio has this page received from Ada?"
// exactly as chrome://webrtc-internals would show it.
(() => {
  const names = new Map(); // userId -> display name, from roster frames
  const pcs = []; // every RTCPeerConnection the page created, in order
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
      const sdp = msg.signal.description.sdp;
      // The pc that applies this remote description is the link to msg.from.
      queueMicrotask(() => tag(msg.from, (pc) => pc.remoteDescription && pc.remoteDescription.sdp === sdp));
      setTimeout(() => tag(msg.from, (pc) => pc.remoteDescription && pc.remoteDescription.sdp === sdp), 50);
    }
  }

  function tag(userId, match) {
    for (const pc of pcs) if (match(pc)) pcPeer.set(pc, userId);
  }

  const nativeSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      try {
        const msg = JSON.parse(data);
        if (msg.type === 'peer.signal' && msg.signal && msg.signal.kind === 'description') {
          const sdp = msg.signal.description.sdp;
          tag(msg.to, (pc) => pc.localDescription && pc.localDescription.sdp === sdp);
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
     * the remote's name and its inbound audio counters.
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
