// How each probe kind runs: its runner, and whether it connects to the target (then the runner gets the
// policy-checked address). What each kind takes and its help line are data in src/probes/kinds.ts; a
// new kind is one row there and one row here.
import { runAutodiscover } from './autodiscover.ts';
import { runDns } from './dns.ts';
import { runDnsbl } from './dnsbl.ts';
import { endpointRunner } from './exchange-http.ts';
import { runHttp } from './http.ts';
import { runPtr } from './ptr.ts';
import { runSmtp } from './smtp.ts';
import { runTls } from './tls.ts';
import type { ConnectRunner, LookupRunner } from './types.ts';
import { PROBE_ROWS, type ProbeKind, type ProbeKindRow } from './kinds.ts';

export { PROBE_HELP, PROBE_KINDS, PROBE_OPTION_NAMES, type ProbeKind, type ProbeOptionName, type TargetShape } from './kinds.ts';

/** A kind that opens connections to the target gets its checked address; a lookup-only kind does not. */
export type ProbeRow = (ProbeKindRow & { connects: true; run: ConnectRunner }) | (ProbeKindRow & { connects: false; run: LookupRunner });

function connecting(run: ConnectRunner, r: ProbeKindRow): ProbeRow {
  return { ...r, connects: true, run };
}
function lookup(run: LookupRunner, r: ProbeKindRow): ProbeRow {
  return { ...r, connects: false, run };
}

export const PROBES: Record<ProbeKind, ProbeRow> = {
  smtp: connecting(runSmtp, PROBE_ROWS.smtp),
  tls: connecting(runTls, PROBE_ROWS.tls),
  dns: lookup(runDns, PROBE_ROWS.dns),
  ptr: lookup(runPtr, PROBE_ROWS.ptr),
  dnsbl: lookup(runDnsbl, PROBE_ROWS.dnsbl),
  http: connecting(runHttp, PROBE_ROWS.http),
  autodiscover: lookup(runAutodiscover, PROBE_ROWS.autodiscover),
  ews: connecting(endpointRunner('ews'), PROBE_ROWS.ews),
  mapi: connecting(endpointRunner('mapi'), PROBE_ROWS.mapi),
  rpc: connecting(endpointRunner('rpc'), PROBE_ROWS.rpc),
  owa: connecting(endpointRunner('owa'), PROBE_ROWS.owa),
};
