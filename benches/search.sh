#!/usr/bin/env bash
# Search over 100,000 generated Turkish articles (release build): index build
# time and size, query and related-article latency p50/p99, peak memory,
# against a substring scan of the same texts measured in the same run.
#
#   bash benches/search.sh
#
# Needs the UD BOUN news sentences from ../shared (or MANSET_TESTDATA).
set -euo pipefail
cd "$(dirname "$0")/.."
export MANSET_TESTDATA="${MANSET_TESTDATA:-$(cd .. && pwd)/shared}"
cargo build -q --release -p manset-search --example bench
target/release/examples/bench
