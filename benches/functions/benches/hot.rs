//! The hot functions of a page view, each against a baseline measured in the
//! same run, with the ratios printed at the end:
//!
//! - Markdown → safe HTML (`manset_text::markdown::to_safe_html`: pulldown-cmark,
//!   heading demotion, figures, ammonia) against pulldown-cmark's HTML alone;
//! - the article page's template (`article.html` with the context the server
//!   builds) against serializing that context to JSON;
//! - the Turkish analysis of an article (our analyzer, all four index forms)
//!   against tantivy's default tokenizer and lowercaser;
//! - the whole article page rendered in-process (store, template, headers;
//!   page cache off) against the same page from the page cache.
//!
//!   cargo bench -p manset-benches
//!
//! Needs the seed article from ../shared (or MANSET_TESTDATA).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::Criterion;
use http_body_util::BodyExt;
use manset_search::{Analyzer, Form};
use manset_text::Lang;
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};
use tower::ServiceExt;

/// Pairs measured: (label, function, baseline).
const PAIRS: &[(&str, &str, &str)] = &[
    ("Markdown to safe HTML", "markdown/ours", "markdown/pulldown_only"),
    ("article template", "template/article_html", "template/context_to_json"),
    ("Turkish analysis", "analysis/ours_all_forms", "analysis/tantivy_default"),
    ("article page in-process", "page/rendered", "page/from_cache"),
];

fn main() {
    let Some(seed) = manset_testkit::seed_article() else {
        eprintln!("the seed article is missing: set MANSET_TESTDATA to the folder holding seed/");
        std::process::exit(1);
    };
    let out = output_dir();
    let mut c = Criterion::default()
        .output_directory(&out)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();

    let markdown = seed.content_file("2024-06-21T10:00:00+03:00", "Muhabir");
    let body = markdown.split("+++").nth(2).unwrap_or(&markdown).to_owned();
    let mut group = c.benchmark_group("markdown");
    group.bench_function("ours", |b| b.iter(|| manset_text::markdown::to_safe_html(black_box(&body))));
    group.bench_function("pulldown_only", |b| {
        b.iter(|| {
            let mut html = String::with_capacity(body.len() * 2);
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(black_box(&body)));
            html
        })
    });
    group.finish();

    let text = manset_text::markdown::to_plain_text(&body);
    let analyzer = Analyzer::new(Lang::Tr);
    let mut group = c.benchmark_group("analysis");
    group.bench_function("ours_all_forms", |b| {
        b.iter(|| {
            let mut n = 0;
            for word in analyzer.words(black_box(&text)) {
                for form in Form::ALL {
                    n += analyzer.form(&word.text, form).len();
                }
            }
            n
        })
    });
    let mut simple = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build();
    group.bench_function("tantivy_default", |b| {
        b.iter(|| {
            let mut stream = simple.token_stream(black_box(&text));
            let mut n = 0;
            while stream.advance() {
                n += stream.token().text.len();
            }
            n
        })
    });
    group.finish();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let site = runtime.block_on(Site::new(&markdown));
    let (theme, context) =
        runtime.block_on(manset_web::bench_support::article_context(&site.state, &site.slug)).expect("the context");
    let mut group = c.benchmark_group("template");
    group.bench_function("article_html", |b| b.iter(|| theme.render("article.html", black_box(&context)).unwrap()));
    group.bench_function("context_to_json", |b| b.iter(|| serde_json::to_string(black_box(&context)).unwrap()));
    group.finish();

    let mut group = c.benchmark_group("page");
    let path = format!("/haber/{}", site.slug);
    site.state.set_page_cache_bytes(0);
    group.bench_function("rendered", |b| b.iter(|| runtime.block_on(site.get(&path))));
    site.state.set_page_cache_bytes(16 * 1024 * 1024);
    runtime.block_on(site.get(&path));
    group.bench_function("from_cache", |b| b.iter(|| runtime.block_on(site.get(&path))));
    group.finish();

    c.final_summary();
    print_ratios(&out);
}

/// The seed article on a fresh site.
struct Site {
    _dir: tempfile::TempDir,
    state: manset_web::AppState,
    router: axum::Router,
    slug: String,
}

impl Site {
    async fn new(content: &str) -> Site {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        let store = manset_store::Store::open(&data).await.expect("the store opens");
        let file = dir.path().join("seed.md");
        std::fs::write(&file, content).expect("the seed is written");
        let report = manset_import::import_paths(&store, &[file], jiff::Timestamp::now()).await;
        let slug = report.saved().next().expect("the seed imports").1.slug.clone();
        let site = manset_web::SiteConfig {
            name: "Kafkas Postası".into(),
            lang: Lang::Tr,
            time_zone: jiff::tz::TimeZone::get("Europe/Istanbul").expect("bundled time zone"),
            base_url: "https://haber.example".into(),
            per_page: 10,
            sitemap_urls: manset_web::SiteConfig::MAX_SITEMAP_URLS,
            description: String::new(),
            logo: None,
        };
        let state = manset_web::AppState::new(store, site, None, &data).await.expect("the state");
        let router = manset_web::router(state.clone());
        Site { _dir: dir, state, router, slug }
    }

    async fn get(&self, path: &str) -> usize {
        let request = Request::get(path).body(Body::empty()).expect("a request");
        let response = self.router.clone().oneshot(request).await.expect("an answer");
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.into_body().collect().await.expect("the body").to_bytes().len()
    }
}

fn output_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"), PathBuf::from);
    target.join("criterion")
}

/// Mean time of a benchmark from criterion's estimates of this run, in ns.
fn mean(out: &std::path::Path, id: &str) -> Option<f64> {
    let text = std::fs::read_to_string(out.join(id).join("new/estimates.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn print_ratios(out: &std::path::Path) {
    println!("\n{:<26} {:>14} {:>14} {:>8}", "function", "ours", "baseline", "ratio");
    for (label, ours, baseline) in PAIRS {
        let (Some(a), Some(b)) = (mean(out, ours), mean(out, baseline)) else {
            println!("{label:<26} (not measured in this run)");
            continue;
        };
        println!("{label:<26} {:>11.1} µs {:>11.1} µs {:>7.2}x", a / 1000.0, b / 1000.0, a / b);
    }
}
