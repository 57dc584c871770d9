//! Search over 100,000 generated Turkish articles: index build time, index
//! size, query latency (p50/p99) over a fixed query set, related-article
//! latency, peak memory; against a baseline measured in the same run: a
//! lowercase substring scan of the same texts (WordPress's `LIKE '%term%'`).
//!
//!   bash benches/search.sh            # or: cargo run --release -p manset-search --example bench
//!
//! Articles are built from the 380 UD BOUN news sentences in `../shared`
//! (env `MANSET_TESTDATA`): a sentence for the headline, 8 to 15 for the body.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use manset_search::{IndexDoc, SearchIndex, SearchRequest};
use manset_text::Lang;

const ARTICLES: usize = 100_000;
const BATCH: usize = 10_000;

/// A small, seeded generator: the same articles every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn folder_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => folder_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let shared = std::env::var_os("MANSET_TESTDATA").map_or_else(|| std::path::PathBuf::from("../shared"), Into::into);
    let file = shared.join("testdata/turkish/ud-boun/news-sentences.txt");
    let Ok(text) = std::fs::read_to_string(&file) else {
        eprintln!("{} is missing: set MANSET_TESTDATA to the folder with testdata/", file.display());
        std::process::exit(2);
    };
    let sentences: Vec<&str> = text.lines().filter_map(|l| l.split_once('\t')).map(|(_, s)| s).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = Timestamp::from_second(1_640_995_200).unwrap();
    let docs: Vec<IndexDoc> = (0..ARTICLES)
        .map(|i| {
            let headline: String =
                sentences[rng.below(sentences.len())].split_whitespace().take(12).collect::<Vec<_>>().join(" ");
            let body =
                (0..8 + rng.below(8)).map(|_| sentences[rng.below(sentences.len())]).collect::<Vec<_>>().join(" ");
            IndexDoc {
                id: i as i64 + 1,
                slug: format!("haber-{}", i + 1),
                headline,
                standfirst: sentences[rng.below(sentences.len())].to_owned(),
                body,
                tags: vec![],
                category_id: 1 + rng.below(8) as i64,
                published_at: start + jiff::SignedDuration::from_secs(rng.below(3 * 365 * 86_400) as i64),
                lang: None,
                status: manset_core::Status::Published,
                author_ids: vec![],
                created_by: None,
            }
        })
        .collect();

    let dir = tempfile::tempdir().expect("a temporary folder");
    let index = SearchIndex::open(dir.path(), Lang::Tr).expect("the index opens");
    let started = Instant::now();
    for batch in docs.chunks(BATCH) {
        index.apply(batch, &[], Some(1)).expect("indexed");
    }
    let build = started.elapsed();
    let size = folder_size(dir.path());

    // The query set: words and pairs from the sentences, typed in the ways
    // readers type them; fixed by the seed.
    let analyzer = manset_search::Analyzer::new(Lang::Tr);
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < 200 {
        let words: Vec<String> = analyzer
            .words(sentences[rng.below(sentences.len())])
            .into_iter()
            .filter(|w| w.text.chars().count() >= 4)
            .map(|w| w.text)
            .collect();
        if words.len() < 2 {
            continue;
        }
        let a = &words[rng.below(words.len())];
        let b = &words[rng.below(words.len())];
        queries.push(match queries.len() % 5 {
            0 => a.clone(),
            1 => manset_search::analyzer::fold(a),
            2 => format!("{a} {b}"),
            3 => format!("\"{a} {b}\""),
            _ => a.chars().take(a.chars().count().min(5)).collect(),
        });
    }
    let now = Timestamp::now();
    let search = |q: &str, newest: bool| {
        index
            .search(&SearchRequest {
                text: q,
                category_id: None,
                from: None,
                until: None,
                newest_first: newest,
                now,
                limit: 10,
                offset: 0,
            })
            .expect("searched")
    };
    for q in &queries {
        search(q, false);
    }
    let mut latencies = Vec::new();
    let mut found = 0;
    for q in &queries {
        let t = Instant::now();
        let r = search(q, false);
        latencies.push(t.elapsed());
        found += usize::from(r.total > 0);
    }
    latencies.sort();
    let mut newest = Vec::new();
    for q in &queries {
        let t = Instant::now();
        search(q, true);
        newest.push(t.elapsed());
    }
    newest.sort();
    let mut related = Vec::new();
    for _ in 0..200 {
        let doc = &docs[rng.below(docs.len())];
        let t = Instant::now();
        index.related(doc, now, 6).expect("related");
        related.push(t.elapsed());
    }
    related.sort();

    // Baseline: what `LIKE '%term%'` does, in memory, on the same texts.
    let lowered: Vec<String> =
        docs.iter().map(|d| format!("{} {} {}", d.headline, d.standfirst, d.body).to_lowercase()).collect();
    let mut scans = Vec::new();
    for q in queries.iter().take(50) {
        let needle = q.trim_matches('"').to_lowercase();
        let t = Instant::now();
        let hits = lowered.iter().filter(|text| text.contains(&needle)).count();
        std::hint::black_box(hits);
        scans.push(t.elapsed());
    }
    scans.sort();

    println!(
        "{ARTICLES} generated Turkish articles ({} sentences), {} queries ({found} with results)",
        sentences.len(),
        queries.len()
    );
    println!(
        "index build: {:.1} s ({:.0} articles/s), index size {:.0} MB",
        build.as_secs_f64(),
        ARTICLES as f64 / build.as_secs_f64(),
        size as f64 / 1_048_576.0
    );
    println!(
        "search, by relevance:   p50 {:.2} ms  p99 {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    println!("search, newest first:   p50 {:.2} ms  p99 {:.2} ms", percentile(&newest, 0.5), percentile(&newest, 0.99));
    println!(
        "related (more like this): p50 {:.2} ms  p99 {:.2} ms",
        percentile(&related, 0.5),
        percentile(&related, 0.99)
    );
    println!(
        "baseline, substring scan (LIKE '%term%'): p50 {:.2} ms  p99 {:.2} ms",
        percentile(&scans, 0.5),
        percentile(&scans, 0.99)
    );
    println!("ratio search p50 / scan p50: {:.3}", percentile(&latencies, 0.5) / percentile(&scans, 0.5));
    println!("peak RSS {:.0} MB (texts held in memory for the baseline included)", peak_rss_mb());
}
