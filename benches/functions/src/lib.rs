//! Criterion benchmarks only: see `benches/hot.rs`.
