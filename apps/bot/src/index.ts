// What other packages use: how to start a bot, and the lines it prints with --json.
export { botCommand } from './launch';
export { BotEvent, BotLine, BotReport, isReport, parseBotLine, PeerReport } from './report-line';
