import { describe, expect, it } from 'vitest';
import { isReport, parseBotLine } from './report-line';

describe('parseBotLine', () => {
  it('reads a report and an event', () => {
    const report = parseBotLine(
      '{"t":1500,"name":"Robo 1","userId":"u1","room":"r","connection":"connected","peers":[{"userId":"u2","name":"Robo 2","link":"connected","bytes":2520,"frames":143,"level":0.15,"hearing":true}]}',
    );
    expect(report && isReport(report) && report.peers[0]?.hearing).toBe(true);
    const event = parseBotLine('{"event":"joined","t":63,"name":"Robo 2","userId":"u2","room":"r","peers":[{"userId":"u1","name":"Robo 1"}]}');
    expect(event).toMatchObject({ event: 'joined', peers: [{ name: 'Robo 1' }] });
    expect(event && isReport(event)).toBe(false);
  });

  it.each([
    ['a log line', 'Robo 1 [warn] something'],
    ['a partial line', '{"t":1500,"name":"Ro'],
    ['an unknown event', '{"event":"danced","t":1,"name":"R","userId":null,"room":"r"}'],
    ['a report without peers', '{"t":1,"name":"R","userId":null,"room":"r","connection":"connected"}'],
    ['an unknown link state', '{"t":1,"name":"R","userId":null,"room":"r","connection":"connected","peers":[{"userId":"u2","name":"B","link":"weird","bytes":0,"frames":0,"level":0,"hearing":false}]}'],
  ])('ignores %s', (_, text) => {
    expect(parseBotLine(text)).toBeUndefined();
  });
});
