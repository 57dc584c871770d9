#!/usr/bin/env bash
# Upload-and-resize of a 4000×3000 JPEG (release build): the time and peak
# memory of inspecting, decoding and making the five renditions, against
# decoding alone measured in the same run.
#
#   bash benches/media.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p manset-media --example resize
out=$(target/release/examples/resize)
echo "$out"
dec=$(echo "$out" | awk '/baseline/{for(i=1;i<=NF;i++) if($i=="median"){print $(i+1)}}')
up=$(echo "$out" | awk '/^upload/{for(i=1;i<=NF;i++) if($i=="median"){print $(i+1)}}')
awk -v u="$up" -v d="$dec" 'BEGIN{printf "ratio upload / decode-only: %.2f\n", u/d}'
