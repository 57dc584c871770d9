#!/usr/bin/env bash
# The server's peak memory while 6, then 20, uploads of a 7000×7000 PNG (a
# few hundred kilobytes, 147 MB once decoded) arrive at once, against its
# memory at start measured in the same run. Decoding shares one budget of
# 64 megapixels (manset-web's media_library), so 20 cost about what 6 do.
# About ten minutes (the test suite's debug build of the server).
#
#   bash benches/uploads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -q -p manset --test it limits::parallel_huge_uploads_stay_within_the_decode_budget \
  -- --ignored --nocapture 2>&1 | grep -E "parallel|test result"
