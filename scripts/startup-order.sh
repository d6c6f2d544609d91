#!/usr/bin/env bash
# Writes link/startup-order.txt: the functions the single commands run, for
# the linker to place side by side (lld --symbol-ordering-file; see build.rs).
# A short run's cost here is mostly page faults, and the code it touches is
# otherwise spread over the whole 1.7 MB of text, one 64 KB fault-around
# window at a time. Regenerate after changing code or dependencies; a stale
# list only places fewer functions (the build stays correct).
# Needs valgrind (callgrind lists the functions each command ran).
# Usage: scripts/startup-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=target/release/cif-advisor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/commands" <<'COMMANDS'
recommend --app sales --providers 1
recommend --app cs-workspace --analytics --format json
recommend --app field-service --channel sms --format yaml
recommend --app sales --providers 2 -q
compare
compare --format markdown
compare --format json
apps
apps --format json
COMMANDS
i=0
while read -r line; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/$i.out" \
    "$bin" $line > /dev/null 2>&1 || true
done < "$work/commands"
nm --defined-only "$bin" > "$work/symbols"
cat > "$work/order.py" <<'PY'
import collections, re, sys
work, out = sys.argv[1], sys.argv[2]
code = {p[2] for p in (l.split() for l in open(f"{work}/symbols")) if len(p) == 3 and p[1] in "tTwW"}
commands = [l.split()[0] for l in open(f"{work}/commands")]
users = collections.defaultdict(set)  # function -> the commands that ran it
runs = collections.Counter()          # function -> how many runs ran it
first = {}                            # order of first appearance, for stable ties
for i, command in enumerate(commands, start=1):
    seen = set()
    for line in open(f"{work}/{i}.out"):
        m = re.match(r"^c?fn=\(\d+\) (\S+)$", line.rstrip("\n"))
        if m and m.group(1) in code and m.group(1) not in seen:
            seen.add(m.group(1))
            users[m.group(1)].add(command)
            runs[m.group(1)] += 1
            first.setdefault(m.group(1), len(first))

# The code all three commands run, then what recommend adds, then the table
# code compare and apps share, then compare's own, then apps' own: each
# command's code then lies in as few 64 KB windows as it can.
def block(f):
    u = users[f]
    if u >= {"recommend", "compare", "apps"}:
        return 0
    if "recommend" in u:
        return 1
    if u >= {"compare", "apps"}:
        return 2
    return 3 if "compare" in u else 4

order = sorted(runs, key=lambda f: (block(f), -runs[f], first[f]))
with open(out, "w") as f:
    f.write("\n".join(order) + "\n")
print(f"{out}: {len(order)} functions")
PY
python3 "$work/order.py" "$work" link/startup-order.txt
