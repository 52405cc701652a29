// The `signals` object of `ehlo match --json`: unique values per kind of signal, first seen first.
import type { Signal, SignalSummary, SignalType } from './types.ts';

/** At most this many values of one kind are listed (a paste of 10,000 addresses stays readable). */
const MAX_VALUES = 50;

const FIELD: Record<SignalType, keyof SignalSummary> = {
  replyCode: 'replyCodes',
  statusCode: 'statusCodes',
  component: 'components',
  host: 'hosts',
  ip: 'ips',
  email: 'emails',
  eventId: 'eventIds',
  kb: 'kbs',
  agent: 'agents',
  hresult: 'hresults',
  exception: 'exceptions',
  cmdlet: 'cmdlets',
  http: 'httpStatus',
  imceaex: 'legacyAddresses',
  x500: 'legacyAddresses',
};

export function emptySummary(): SignalSummary {
  return { replyCodes: [], statusCodes: [], components: [], hosts: [], ips: [], emails: [], eventIds: [], kbs: [], agents: [], hresults: [], exceptions: [], cmdlets: [], httpStatus: [], legacyAddresses: [] };
}

export function summarizeSignals(signals: readonly Signal[]): SignalSummary {
  const out = emptySummary();
  for (const s of signals) {
    const list = out[FIELD[s.type]];
    // At most MAX_VALUES per field, so the linear look-up stays short.
    if (list.length >= MAX_VALUES || list.includes(s.value)) continue;
    list.push(s.value);
  }
  return out;
}
