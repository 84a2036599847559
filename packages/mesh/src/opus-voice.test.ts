import { describe, expect, it } from 'vitest';
import { tuneOpusForVoice } from './opus-voice';

/** The audio section of a description as Chromium writes it (trimmed). */
const CHROMIUM_AUDIO = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:126 telephone-event/8000',
  '',
].join('\r\n');

const fmtpOf = (sdp: string, pt: string) => sdp.split('\r\n').find((line) => line.startsWith(`a=fmtp:${pt} `));

describe('tuneOpusForVoice', () => {
  it('turns on DTX and FEC, caps the bitrate and asks for mono, keeping the parameters already there', () => {
    expect(fmtpOf(tuneOpusForVoice(CHROMIUM_AUDIO), '111')).toBe(
      'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;maxaveragebitrate=32000;stereo=0;sprop-stereo=0',
    );
  });

  it('leaves every other line alone, the other codecs included', () => {
    const before = CHROMIUM_AUDIO.split('\r\n');
    const after = tuneOpusForVoice(CHROMIUM_AUDIO).split('\r\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual([fmtpOf(tuneOpusForVoice(CHROMIUM_AUDIO), '111')]);
    expect(fmtpOf(tuneOpusForVoice(CHROMIUM_AUDIO), '63')).toBe('a=fmtp:63 111/111');
  });

  it('overrides a peer that asked for the opposite', () => {
    const stereo = CHROMIUM_AUDIO.replace('minptime=10;useinbandfec=1', 'stereo=1;usedtx=0;maxaveragebitrate=510000');
    expect(fmtpOf(tuneOpusForVoice(stereo), '111')).toBe('a=fmtp:111 stereo=0;usedtx=1;maxaveragebitrate=32000;useinbandfec=1;sprop-stereo=0');
  });

  it('adds a parameter line after the rtpmap of an Opus payload type that had none', () => {
    const bare = CHROMIUM_AUDIO.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
    const lines = tuneOpusForVoice(bare).split('\r\n');
    const at = lines.indexOf('a=rtpmap:111 opus/48000/2');
    expect(lines[at + 1]).toBe('a=fmtp:111 usedtx=1;useinbandfec=1;maxaveragebitrate=32000;stereo=0;sprop-stereo=0');
  });

  it('is idempotent, keeps bare newlines, and returns a description without Opus unchanged', () => {
    const once = tuneOpusForVoice(CHROMIUM_AUDIO);
    expect(tuneOpusForVoice(once)).toBe(once);
    const unix = CHROMIUM_AUDIO.replaceAll('\r\n', '\n');
    expect(tuneOpusForVoice(unix)).toBe(once.replaceAll('\r\n', '\n'));
    const dataOnly = 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:1\r\n';
    expect(tuneOpusForVoice(dataOnly)).toBe(dataOnly);
  });
});
