#!/usr/bin/env bash
# Reproduce agents/tabletop-<task>-bc: behaviour cloning (keypoint encoder, preset kp-bc) on
# scripted-expert demos of one-block tabletop <task> at 32x32, then its success rate over 100
# seeded episodes (seeds 100000..100099) with 95% intervals.
#   scripts/train-tabletop-agent.sh [reach|push]      (reach ~5 min on 2 free cores, push ~9 min)
# The agent folder's agent.json (kind "bc", training sim settings) is kept; only policy/ is replaced.
# Measured: reach 96/100 (agents/tabletop-reach-bc), push 65/100 (agents/tabletop-push-bc).
set -euo pipefail
cd "$(dirname "$0")/.."
TASK=${1:-reach}
case "$TASK" in
  reach) EPISODES=2000; SEED=13; SETS=() ;;
  push) EPISODES=1500; SEED=12; SETS=(--set train.steps=8000 --set encoder.keypoints=32) ;;
  *) echo "task must be reach or push, got '$TASK'" >&2; exit 2 ;;
esac
DATA=runs/data/${TASK}1b-32
RUN=runs/tabletop-${TASK}-bc
AGENT=agents/tabletop-${TASK}-bc
if [ ! -f "$DATA/splits.json" ]; then
  rm -rf "$DATA"
  node bin/lara.mjs dataset generate --task "$TASK" --episodes $EPISODES --out "$DATA" --size 32 --seed $SEED --blocks 1 --zones 1 --workers 1
  node bin/lara.mjs dataset split "$DATA" --val 0.05 --seed 0
fi
node bin/lara.mjs train policy --data "$DATA" --preset kp-bc "${SETS[@]}" --out "$RUN" --overwrite --backend wasm
rm -rf "$AGENT/policy" && mkdir -p "$AGENT" && cp -r "$RUN/policy" "$AGENT/policy"
node bin/run-ts.mjs scripts/eval-bc.ts "$AGENT/policy" "$DATA" "$TASK" 100 100000 | tee "$AGENT/eval.txt"
