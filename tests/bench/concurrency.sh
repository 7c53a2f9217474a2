#!/usr/bin/env bash
# Concurrency bar (issue 12): `paperbot run` (gateway unreachable) plus two CLI processes ingesting 20k papers each
# into the same database. Prints papers stored, errors, ingest wall time and when the bot's index first answered a
# search for the last paper of each file (searches from a third process are answered by the bot's index).
# usage: tests/bench/concurrency.sh [PAPERBOT_BINARY] [WORK_DIR]
set -uo pipefail
PB=${1:-paperbot}
WORK=${2:-$(mktemp -d)}
mkdir -p "$WORK" && cd "$WORK"
now() { date +%s.%N; }
"$PB" bench jsonl --count 20000 --start 0 --out a.jsonl 2>/dev/null
"$PB" bench jsonl --count 20000 --start 20000 --out b.jsonl 2>/dev/null
rm -rf c.db c.db.* c-log.db
export PAPERBOT_Discord__Token=unreachable PAPERBOT_Discord__ApplicationId=1 \
       PAPERBOT_Discord__ApiBaseUrl=http://127.0.0.1:9/api/v10 PAPERBOT_Feed__Enabled=false
"$PB" --db c.db run > bot.log 2>&1 &
BOT=$!
until [ -S c.db.sock ]; do sleep 0.1; done
title() { tail -1 "$1" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["title"])'; }
id() { tail -1 "$1" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])'; }
TA=$(title a.jsonl); IA=$(id a.jsonl); TB=$(title b.jsonl); IB=$(id b.jsonl)
T0=$(now)
( "$PB" --db c.db ingest a.jsonl --json > a.out 2> a.err; echo "a $? $(now)" >> done.txt ) &
( "$PB" --db c.db ingest b.jsonl --json > b.out 2> b.err; echo "b $? $(now)" >> done.txt ) &
SEEN_A=""; SEEN_B=""
while [ -z "$SEEN_A" ] || [ -z "$SEEN_B" ]; do
  # (output captured first: with pipefail, grep -q closing the pipe early would fail the pipeline)
  if [ -z "$SEEN_A" ]; then R=$("$PB" --db c.db search "$TA" --top 20 --json 2>/dev/null); [[ "$R" == *"\"$IA\""* ]] && SEEN_A=$(now); fi
  if [ -z "$SEEN_B" ]; then R=$("$PB" --db c.db search "$TB" --top 20 --json 2>/dev/null); [[ "$R" == *"\"$IB\""* ]] && SEEN_B=$(now); fi
  sleep 0.2
done
while [ "$(wc -l < done.txt 2>/dev/null || echo 0)" -lt 2 ]; do sleep 0.2; done
STATS=$("$PB" --db c.db stats --json 2>/dev/null)
kill -TERM $BOT; wait $BOT  # (a background job ignores SIGINT in a script)
python3 - "$T0" "$SEEN_A" "$SEEN_B" "$STATS" <<'PY'
import json, sys
t0, sa, sb, stats = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
done = {l.split()[0]: (int(l.split()[1]), float(l.split()[2])) for l in open("done.txt")}
for f in "ab":
    out = json.load(open(f + ".out"))
    print(f"{f}.jsonl: exit {done[f][0]}, added {out['added']}, errors {out['errors']}, finished after {done[f][1]-t0:.1f} s")
print(f"last paper of a.jsonl found by the bot's search {sa-t0:.1f} s after start ({sa-done['a'][1]:+.1f} s from its ingest's end)")
print(f"last paper of b.jsonl found by the bot's search {sb-t0:.1f} s after start ({sb-done['b'][1]:+.1f} s from its ingest's end)")
print(f"papers in the database: {stats['papers']} (synthetic {stats['bySource'].get('synthetic', 0)}), index current: {stats['index']['current']}")
PY
echo "bot log errors (fail/crit lines): $(grep -c ' fail: \| crit: ' bot.log)"
