// The baseline room page: getUserMedia, a WebSocket relay and one offer per
// pair, with no recovery logic at all. The joiner offers to everyone already
// there; members answer. Plain browser JS, served as is (no build step).
(() => {
  const room = decodeURIComponent((/^\/r\/([^/]+)/.exec(location.pathname) || [])[1] || 'lobby');
  const form = document.getElementById('join-form');
  const nameInput = document.getElementById('display-name');
  const roomView = document.getElementById('room');
  const roster = roomView.querySelector('ul');
  const audioBox = document.getElementById('audio');
  document.getElementById('room-name').textContent = room;

  /** The current stay in the room, or null: { ws, ready, stream, peers: Map<id, peer> }. */
  let session = null;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (name && !session) join(name);
  });

  document.getElementById('leave').addEventListener('click', () => {
    const s = session;
    if (!s) return;
    session = null;
    for (const id of [...s.peers.keys()]) drop(s, id);
    if (s.ws.readyState === WebSocket.OPEN) s.ws.send(JSON.stringify({ type: 'leave' }));
    s.ws.close();
    s.ready.then(() => s.stream.getTracks().forEach((t) => t.stop()), () => {});
    roster.replaceChildren();
    roomView.hidden = true;
    form.hidden = false;
  });

  function join(name) {
    // The microphone and the socket start together; offers wait for both.
    const s = { name, stream: null, peers: new Map(), ready: null, ws: null };
    s.ready = navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => { s.stream = stream; });
    s.ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    s.ws.onopen = () => s.ws.send(JSON.stringify({ type: 'join', room, name }));
    s.ws.onmessage = (event) => { if (session === s) onMessage(s, JSON.parse(event.data)); };
    session = s;
    form.hidden = true;
    roomView.hidden = false;
  }

  function onMessage(s, msg) {
    if (msg.type === 'joined') {
      listItem(s.name);
      for (const { id, name } of msg.peers) run(s, addPeer(s, id, name), offer);
    } else if (msg.type === 'peer-joined') {
      addPeer(s, msg.id, msg.name);
    } else if (msg.type === 'peer-left') {
      drop(s, msg.id);
    } else if (msg.type === 'signal') {
      const p = s.peers.get(msg.from);
      if (p && msg.data.description) run(s, p, (s, p) => onDescription(s, p, msg.data.description));
      if (p && msg.data.candidate) onCandidate(p, msg.data.candidate);
    }
  }

  function listItem(name) {
    const li = document.createElement('li');
    li.textContent = name;
    roster.append(li);
    return li;
  }

  function addPeer(s, id, name) {
    const p = { id, name, pc: null, pending: [], audio: null, li: listItem(name), queue: s.ready };
    s.peers.set(id, p);
    return p;
  }

  /** Negotiation steps for one peer run in order, after the microphone is ready. */
  function run(s, p, step) {
    p.queue = p.queue.then(() => (s.peers.get(p.id) === p ? step(s, p) : undefined)).catch((e) => console.error(e));
  }

  function connect(s, p) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    p.pc = pc;
    for (const track of s.stream.getTracks()) pc.addTrack(track, s.stream);
    pc.onicecandidate = (event) => { if (event.candidate) send(s, p, { candidate: event.candidate }); };
    pc.ontrack = (event) => {
      p.audio = p.audio || audioBox.appendChild(document.createElement('audio'));
      p.audio.autoplay = true;
      p.audio.srcObject = event.streams[0] || new MediaStream([event.track]);
    };
    return pc;
  }

  async function offer(s, p) {
    const pc = connect(s, p);
    await pc.setLocalDescription();
    send(s, p, { description: pc.localDescription });
  }

  async function onDescription(s, p, description) {
    const pc = p.pc || connect(s, p);
    await pc.setRemoteDescription(description);
    for (const candidate of p.pending.splice(0)) pc.addIceCandidate(candidate).catch((e) => console.error(e));
    if (description.type !== 'offer') return;
    await pc.setLocalDescription();
    send(s, p, { description: pc.localDescription });
  }

  function onCandidate(p, candidate) {
    if (p.pc && p.pc.remoteDescription) p.pc.addIceCandidate(candidate).catch((e) => console.error(e));
    else p.pending.push(candidate);
  }

  function send(s, p, data) {
    s.ws.send(JSON.stringify({ type: 'signal', to: p.id, data }));
  }

  function drop(s, id) {
    const p = s.peers.get(id);
    if (!p) return;
    s.peers.delete(id);
    if (p.pc) p.pc.close();
    if (p.audio) p.audio.remove();
    p.li.remove();
  }
})();
