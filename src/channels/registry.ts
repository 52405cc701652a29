// The chat channels `ehlo start` can open, by name. A network channel is made from the configuration
// and mounted on the shared HTTP server; each is imported only when configured.
import type { EhloConfig } from '../config.ts';
import type { Channel } from './channel.ts';

export type NetworkChannelName = 'slack' | 'teams';

export const NETWORK_CHANNELS: Record<NetworkChannelName, (config: EhloConfig) => Promise<Channel>> = {
  slack: async (config) => (await import('./slack/channel.ts')).createSlackChannel(config),
  teams: async (config) => (await import('./teams/channel.ts')).createTeamsChannel(config),
};
