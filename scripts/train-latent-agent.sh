#!/usr/bin/env bash
# Reproduce agents/tabletop-<task>-latent, the Genie recipe end to end on tabletop-sim:
#   1. a LAM (preset lam/small-motion) learns latent actions from 64x64 video alone (600 episodes
#      of all tasks with 30% random motions; no action labels are read);
#   2. the frozen LAM labels the task's scripted-expert demos, rendered at 64x64; the labels are
#      copied onto the 32x32 render of the same seeded episodes the policy trains on;
#   3. a latent policy (preset kp-small) learns to predict the codes from 32x32 images;
#   4. a dictionary mapping from code to native action is fitted on only 200 labelled transitions;
#   5. the agent is evaluated on 100 seeded episodes against BC on all actions (the shipped
#      agents/tabletop-<task>-bc), BC on the same 200 transitions, the scripted expert and random.
#   scripts/train-latent-agent.sh [reach|push]     (reach ~8 min on 2 free cores)
# LARA_THREADS=1 keeps every run bit-for-bit repeatable. Measured: reach 82/100 (BC oracle 96,
# BC-200 39), by this script; push 3/100 (BC oracle 65, BC-200 1) from the same steps run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
export LARA_THREADS=1
TASK=${1:-reach}
case "$TASK" in
  reach) EPISODES=2000; SEED=13; SETS=() ;;
  push) EPISODES=1500; SEED=12; SETS=(--set train.steps=8000 --set encoder.keypoints=32) ;;
  *) echo "task must be reach or push, got '$TASK'" >&2; exit 2 ;;
esac
lara() { node bin/lara.mjs "$@"; }
VIDEO=runs/data/play-64
LAM=runs/lam-small-motion
D64=runs/data/${TASK}1b-64
D32=runs/data/${TASK}1b-32
RUN=runs/tabletop-${TASK}-latent
BC200=runs/tabletop-${TASK}-bc200
AGENT=agents/tabletop-${TASK}-latent

if [ ! -f "$VIDEO/info.json" ]; then
  lara dataset generate --task all --episodes 600 --out "$VIDEO" --seed 3 --random-prob 0.3 --workers 1 --overwrite
fi
if [ ! -d "$LAM/ckpt" ]; then
  lara train lam --data "$VIDEO" --preset small-motion --seed 0 --out "$LAM" --backend wasm
fi
for size in 64 32; do
  dir=runs/data/${TASK}1b-$size
  if [ ! -f "$dir/splits.json" ]; then
    lara dataset generate --task "$TASK" --episodes $EPISODES --out "$dir" --size $size --seed $SEED --blocks 1 --zones 1 --workers 1 --overwrite
    lara dataset split "$dir" --val 0.05 --seed 0
  fi
done
lara label "$D64" --lam "$LAM" --backend wasm
node bin/run-ts.mjs scripts/copy-latents.ts "$D64" "$D32"
lara train policy --data "$D32" --preset kp-small "${SETS[@]}" --seed 0 --out "$RUN" --overwrite --backend wasm
lara fit-mapping --data "$D32" --labelled 200 --robot tabletop-sim --out "$RUN/mapping.json"
lara train policy --data "$D32" --preset kp-bc "${SETS[@]}" --labelled 200 --seed 0 --out "$BC200" --overwrite --backend wasm
recipe=$(mktemp)
echo "scripts/train-latent-agent.sh $TASK" > "$recipe"
lara agent create "$AGENT" --lam "$LAM" --policy "$RUN/policy" --mapping "$RUN/mapping.json" --robot tabletop-sim --sim-from "$D32" --task "$TASK" --max-steps 80 --overwrite \
  --description "latent agent: small-motion LAM codes (64x64 video, no actions) -> latent policy (keypoints, 32x32) -> dictionary mapping fitted on 200 labelled transitions; one-block $TASK" \
  --recipe "$recipe"
rm -f "$recipe"
lara eval agent --agent "$AGENT" --task "$TASK" --episodes 100 --sim-from "$D32" --max-steps 80 \
  --bc-oracle "agents/tabletop-${TASK}-bc/policy" --bc "$BC200/policy" --data "$D32" --out "$RUN/eval" --backend wasm | tee "$AGENT/eval.txt"
