#!/usr/bin/env bash
# The single writer's CPU per step, two revisions side by side in one JVM (WriterAB): each revision
# is checked out in a worktree and built, this tree's WriterCpu is compiled against each build (so
# both run the same harness, and a revision older than it can be measured), and WriterAB alternates
# the two, each going first on every other turn.
#
#   benchmarks/writer-ab.sh REV_A REV_B [protocol runs-per-request requests-per-group turns]
#   benchmarks/writer-ab.sh HEAD~1 HEAD            # native JSON, 5 x 20 steps per request, 8 per commit
#
# Run it twice with the revisions swapped, or once with the same revision on both sides, to see
# how far the two sides differ when nothing does.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0"; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d -t sextant-writer-ab.XXXXXX)"
trap 'git -C "$root" worktree remove --force "$work/a" 2>/dev/null; git -C "$root" worktree remove --force "$work/b" 2>/dev/null; rm -rf "$work"' EXIT
classpath=()
for side in a b; do
  rev="$1"; shift
  git -C "$root" worktree add --quiet --detach "$work/$side" "$rev"
  (cd "$work/$side" && mvn -q -B -DskipTests -Dexec.skip=true -Dnpm.executable=/bin/true package -pl server,benchmarks -am)
  jar="$work/$side/benchmarks/target/benchmarks.jar"
  mkdir -p "$work/$side-cpu"
  javac -nowarn -cp "$jar" -d "$work/$side-cpu" "$root/benchmarks/src/main/java/dev/sextant/bench/WriterCpu.java"
  classpath+=("$work/$side-cpu:$jar")
  echo "$side: $rev ($(git -C "$root" rev-parse --short "$rev"))"
done
mkdir -p "$work/driver"
javac -nowarn -d "$work/driver" "$root/benchmarks/src/main/java/dev/sextant/bench/WriterAB.java"
java -Xmx2g -cp "$work/driver" dev.sextant.bench.WriterAB "${classpath[0]}" "${classpath[1]}" "$@" 2>&1 | grep -v WARN
