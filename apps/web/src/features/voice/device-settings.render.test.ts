import { createElement } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { appStore } from '../../app/store';
import { renderWithAppState, resetAppStore } from '../../app/testing/render-markup';
import { DeviceSettings } from './device-settings';

beforeEach(resetAppStore);

/** The text of the <label> pointing at the element with `id`. */
const labelFor = (html: string, id: string) => new RegExp(`<label[^>]*for="${id}"[^>]*>([^<]*)</label>`).exec(html)?.[1];

describe('the devices section of Settings', () => {
  it('names its pickers, meter, test button and toggle as the UI contract says, with the listed devices', () => {
    appStore.getState().devicesListed({
      microphones: [
        { deviceId: 'default', label: 'Fake Default Audio Input' },
        { deviceId: 'm1', label: 'Fake Audio Input 1' },
      ],
      speakers: [{ deviceId: 'default', label: 'Fake Default Audio Output' }],
    });
    appStore.getState().voiceSettingsChanged({ microphoneId: 'm1' });
    const html = renderWithAppState(createElement(DeviceSettings));
    const selects = [...html.matchAll(/<select id="([^"]+)"/g)].map((m) => labelFor(html, m[1] ?? ''));
    // Node has no HTMLMediaElement: no speaker routing, so only the microphone is a select there.
    expect(selects).toEqual(['Microphone']);
    expect(html).toMatch(/<option value="m1" selected="">Fake Audio Input 1<\/option>/);
    expect(html).toMatch(/role="meter" aria-label="Microphone level"/);
    expect(html).toMatch(/<button type="button"[^>]*>Test speaker<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*aria-pressed="false"[^>]*>.*Hear yourself<\/button>/);
  });

  it('has the four processing checkboxes, the browser ones on and RNNoise off by default', () => {
    const html = renderWithAppState(createElement(DeviceSettings));
    for (const label of ['Echo cancellation', 'Noise suppression', 'Automatic gain']) {
      expect(html).toMatch(new RegExp(`<input type="checkbox" checked=""[^>]*/>${label}</label>`));
    }
    expect(html).toMatch(/<input type="checkbox"(?![^>]*checked)[^>]*\/>Enhanced noise suppression<\/label>/);
  });

  it('tells why the microphone changed by itself', () => {
    appStore.getState().microphoneNoticeShown('Your microphone was disconnected.');
    expect(renderWithAppState(createElement(DeviceSettings))).toMatch(/role="status"><p>Your microphone was disconnected.<\/p>/);
  });
});
