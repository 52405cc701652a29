#!/usr/bin/env bash
# Regenerates docs/console-session.txt: a scripted `ehlo start` session in tmux (a real terminal, 100x50),
# captured as the plain text a person sees. The dns check answers from a DNS server on 127.0.0.1
# (the test helper), so the session is the same offline. Needs tmux; run from the repository root:
#   bash docs/make-console-session.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
work=$(mktemp -d)
trap 'tmux kill-session -t ehlo-doc 2>/dev/null || true; [ -n "${dns_pid:-}" ] && kill "$dns_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A DNS server on 127.0.0.1 serving libsisimai.org (the domain in the NDR) as a healthy mail domain.
cat > "$work/dns.ts" <<TS
import { startDnsServer } from '$PWD/test/helpers/dns-server.ts';
import { healthyDomain } from '$PWD/test/conversation/dns-zone.ts';
const dns = await startDnsServer(healthyDomain('libsisimai.org'));
console.log(dns.server);
setInterval(() => undefined, 1 << 30);
TS
node "$work/dns.ts" > "$work/dns.addr" &
dns_pid=$!
for _ in $(seq 50); do [ -s "$work/dns.addr" ] && break; sleep 0.1; done

# The paste: a real Exchange Online NDR from the corpus fixtures (sisimai set-of-emails).
node -e "const l=require('fs').readFileSync('test/fixtures/corpus-cases.jsonl','utf8').split('\n').find(l=>l.includes('soe-o365-54312-dns-inforecords'));process.stdout.write(JSON.parse(l).text)" > "$work/ndr.txt"

# `ehlo` on the demo shell's PATH: Node 24 from node_modules, a throwaway store and log, the loopback DNS server.
cat > "$work/ehlo" <<SH
#!/usr/bin/env bash
cd "$PWD" && EHLO_CONFIG= DATABASE_URL= EHLO_SQLITE_PATH="$work/ehlo.sqlite" EHLO_LOG_FILE="$work/ehlo.log" \\
  EHLO_DNS_SERVERS="$(cat "$work/dns.addr")" EHLO_PROBE_ALLOW='*' EHLO_USER=alice exec "$PWD/node_modules/.bin/node" bin/ehlo.js "\$@"
SH
chmod +x "$work/ehlo"
tmux new-session -d -s ehlo-doc -x 100 -y 50 "env -i HOME=\"$HOME\" TERM=xterm-256color LANG=C.UTF-8 PATH=\"$work:/usr/bin:/bin\" PS1='$ ' bash --norc --noprofile"
tmux set-option -t ehlo-doc history-limit 10000 >/dev/null
key() { tmux send-keys -t ehlo-doc "$@"; sleep 1.2; }
sleep 0.5
key "ehlo start" Enter
sleep 1.5
tmux load-buffer "$work/ndr.txt" && tmux paste-buffer -t ehlo-doc && sleep 0.3
key Enter Enter          # the empty line ends the paste
key 1 Enter              # [1] Start walkthrough
key 4 Enter              # [4] Run check
key done Enter           # typed command
key quit Enter           # leave; the walkthrough waits in the store
key "ehlo start" Enter   # start again: it resumes
key done Enter
key 1 Enter              # [1] I am making this change: it asks first
key y Enter              # y presses it
key done Enter
key confirm Enter
key "note queue drained at once" Enter
key 1 Enter              # [1] Done: the walkthrough ends with its summary
key quit Enter
tmux capture-pane -t ehlo-doc -p -S - -E - | sed -e "s#$work#/tmp/ehlo-demo#g" -e 's/[[:space:]]*$//' | cat -s > docs/console-session.txt
echo "wrote docs/console-session.txt ($(wc -l < docs/console-session.txt) lines)"
