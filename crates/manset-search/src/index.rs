//! The search index: a tantivy index in the data folder (`<data>/search`),
//! one document per article in every status. Readers' searches see only
//! published ones whose time has come (scheduled ones are in the index, so
//! an embargo ends at its second); the newsroom's desk searches everything
//! through the same analysis ([`SearchIndex::desk`]).
//!
//! Every text is indexed in the four forms of [`Form`], headline and body
//! apart; a query looks in all of them, the exact Turkish form weighing most.
//! Every article is analyzed by the rules of its own language (the site's
//! when it names none), into fields of that language: a Turkish article's
//! words are stemmed by the Turkish Snowball stemmer, an English one's by the
//! English. A query is analyzed by every language's rules and looks in each
//! language's fields with its own analysis, so readers find articles in any
//! language the site publishes in.
//!
//! The commit payload holds the watermark (the position in the database's
//! change log up to which articles are indexed, `log:N`) and the site
//! language articles without their own were analyzed by, so a start catches
//! up instead of rebuilding, and a change of the site language is noticed.
//! An index without a log position (new, or made by a version that counted
//! time instead) is rebuilt at start.

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use jiff::Timestamp;
use manset_core::Status;
use manset_text::Lang;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term, doc};

use crate::analyzer::{Analyzer, Form};
use crate::query::{Part, parse};
use crate::tokenizer::FormTokenizer;

/// Memory the writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 50_000_000;

/// Why the index could not do something.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index failed: {0}; rebuild it with `manset reindex`")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the search index folder {path}: {source}")]
    Folder { path: std::path::PathBuf, source: std::io::Error },
    #[error("the search index is in use by another program (a running `manset serve`?): {0}")]
    Locked(String),
}

/// An article as the index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub standfirst: String,
    /// Plain text of the body (no markup).
    pub body: String,
    pub tags: Vec<String>,
    pub category_id: i64,
    pub published_at: Timestamp,
    /// The language of the text; `None` for the site's.
    pub lang: Option<Lang>,
    /// Readers find only `Published` articles; the desk finds all.
    pub status: Status,
    /// The byline's author ids, for the desk's filter.
    pub author_ids: Vec<i64>,
    /// The member who created it, for a desk that shows a member their own.
    pub created_by: Option<i64>,
}

/// How deep into the results any search goes (offset + limit): 1,000 pages
/// of ten. Deeper pages are asked for by crawlers and attackers, not readers.
pub const MAX_DEPTH: usize = 10_000;

/// What a reader asks.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    pub text: &'a str,
    pub category_id: Option<i64>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub until: Option<Timestamp>,
    /// Newest first instead of most relevant first.
    pub newest_first: bool,
    pub now: Timestamp,
    pub limit: usize,
    pub offset: usize,
}

/// What the newsroom's desk asks: words, and the desk's filters.
#[derive(Debug, Clone)]
pub struct DeskRequest<'a> {
    pub text: &'a str,
    /// As the desk names statuses: `draft`, `review`, `scheduled`,
    /// `published` (and visible), `unpublished`, `trash`; `None`: all but
    /// the trash.
    pub status: Option<&'a str>,
    pub category_id: Option<i64>,
    pub author_id: Option<i64>,
    /// Only what this member created, and what readers can already see.
    pub visible_to: Option<i64>,
    /// Newest first instead of most relevant first.
    pub newest_first: bool,
    pub now: Timestamp,
    pub limit: usize,
    pub offset: usize,
}

/// Which page of results, in which order.
#[derive(Debug, Clone, Copy)]
struct Page {
    newest_first: bool,
    limit: usize,
    offset: usize,
}

/// A piece of a snippet; `true` where it matched.
pub type Fragment = (String, bool);

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub slug: String,
    pub headline: String,
    pub published_at: Timestamp,
    pub score: f32,
    /// Text around the matches, matches marked.
    pub snippet: Vec<Fragment>,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// The languages with fields of their own, in the order of [`Lang::ALL`].
const LANGS: usize = Lang::ALL.len();

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    slug: Field,
    headline: Field,
    body_text: Field,
    category: Field,
    published: Field,
    /// The stored status name (`draft`, …, `trash`).
    status: Field,
    /// Byline author ids.
    author: Field,
    /// The creating member's id.
    creator: Field,
    /// Tags, lowercased and folded, one term each: for related articles.
    tag: Field,
    /// Per language, per form.
    title: [[Field; 4]; LANGS],
    body: [[Field; 4]; LANGS],
}

fn lang_index(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// The tokenizer of one form in one language.
fn tokenizer_name(form: Form, lang: Lang) -> String {
    format!("{}_{}", form.tokenizer(), lang.tag())
}

/// A tag as the `tag` field holds it: the same for `Bakü`, `BAKÜ` and `baku`.
fn tag_term(analyzer: &Analyzer, tag: &str) -> String {
    crate::analyzer::fold(&analyzer.lowercase(tag.trim()))
}

fn form_index(form: Form) -> usize {
    match form {
        Form::Exact => 0,
        Form::Stem => 1,
        Form::Fold => 2,
        Form::StemFold => 3,
    }
}

/// How much a match in each form counts: what was typed exactly, most.
fn form_boost(form: Form) -> f32 {
    match form {
        Form::Exact => 4.0,
        Form::Stem => 2.0,
        Form::Fold => 1.5,
        Form::StemFold => 1.0,
    }
}

/// A match in the headline counts this much more than one in the body.
const TITLE_BOOST: f32 = 2.5;

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_u64_field("id", INDEXED | STORED | FAST);
    let slug = b.add_text_field("slug", STRING | STORED);
    let headline = b.add_text_field("headline", STORED);
    let body_text = b.add_text_field("body_text", STORED);
    let category = b.add_u64_field("category", INDEXED | FAST);
    let published = b.add_i64_field("published", INDEXED | STORED | FAST);
    let tag = b.add_text_field("tag", STRING);
    let status = b.add_text_field("status", STRING);
    let author = b.add_u64_field("author", INDEXED);
    let creator = b.add_u64_field("creator", INDEXED);
    let text = |form: Form, lang: Lang| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&tokenizer_name(form, lang))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let names = ["exact", "stem", "fold", "stem_fold"];
    let mut title = [[id; 4]; LANGS];
    let mut body = [[id; 4]; LANGS];
    for lang in Lang::ALL {
        for form in Form::ALL {
            let (l, f) = (lang_index(lang), form_index(form));
            title[l][f] = b.add_text_field(&format!("title_{}_{}", names[f], lang.tag()), text(form, lang));
            body[l][f] = b.add_text_field(&format!("body_{}_{}", names[f], lang.tag()), text(form, lang));
        }
    }
    (
        b.build(),
        Fields { id, slug, headline, body_text, category, published, status, author, creator, tag, title, body },
    )
}

/// What the last commit recorded: up to when articles are indexed, and the
/// site language those without their own were analyzed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    watermark: Option<i64>,
    site_lang: Option<Lang>,
}

impl Stamp {
    fn read(payload: &str) -> Stamp {
        let mut parts = payload.split_whitespace();
        Stamp {
            watermark: parts.next().and_then(|w| w.strip_prefix("log:")).and_then(|w| w.parse().ok()),
            site_lang: parts.next().and_then(|l| l.parse().ok()),
        }
    }

    fn write(self) -> String {
        let watermark = self.watermark.map_or_else(|| "-".to_owned(), |w| format!("log:{w}"));
        match self.site_lang {
            Some(lang) => format!("{watermark} {lang}"),
            None => watermark,
        }
    }
}

/// The index of one site.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// One analyzer per language, in the order of [`Lang::ALL`].
    analyzers: [Analyzer; LANGS],
    /// The language of articles that name none.
    site_lang: std::sync::RwLock<Lang>,
    /// Counts commits: what was computed from the index before is stale when it moves.
    generation: std::sync::atomic::AtomicU64,
    /// How far the log was read past the committed watermark with nothing
    /// to index (comments, menus): kept in memory, not worth a commit.
    read_past: std::sync::atomic::AtomicI64,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("site_lang", &self.site_lang()).finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it on first use. Articles that
    /// name no language are analyzed by the rules of `site_lang`.
    ///
    /// An index that cannot be opened as it is (written by an older version
    /// of Manşet with another schema, or damaged: a missing or truncated
    /// file) is emptied and created anew: it holds nothing the database does
    /// not, and the catch-up at start fills it again. Only an index in use
    /// by another program is an error.
    pub fn open(dir: &Path, site_lang: Lang) -> Result<SearchIndex, SearchError> {
        // tantivy may panic on a truncated file rather than say so: that too is damage.
        let opened = std::panic::catch_unwind(|| SearchIndex::open_as_is(dir, site_lang)).unwrap_or_else(|_| {
            Err(SearchError::Index(tantivy::TantivyError::InternalError("a file of the index is damaged".into())))
        });
        match opened {
            Err(e @ (SearchError::Locked(_) | SearchError::Folder { .. })) => Err(e),
            Err(why) => {
                tracing::warn!(folder = %dir.display(), %why, "the search index cannot be opened: building it anew");
                let folder = |source: std::io::Error| SearchError::Folder { path: dir.to_owned(), source };
                std::fs::remove_dir_all(dir).map_err(folder)?;
                SearchIndex::open_as_is(dir, site_lang)
            }
            ok => ok,
        }
    }

    fn open_as_is(dir: &Path, site_lang: Lang) -> Result<SearchIndex, SearchError> {
        let folder = |source: std::io::Error| SearchError::Folder { path: dir.to_owned(), source };
        std::fs::create_dir_all(dir).map_err(folder)?;
        let (schema, fields) = schema();
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(|e| folder(std::io::Error::other(e.to_string())))?;
        let index = Index::open_or_create(directory, schema)?;
        let analyzers = Lang::ALL.map(Analyzer::new);
        for analyzer in &analyzers {
            for form in Form::ALL {
                index.tokenizers().register(
                    &tokenizer_name(form, analyzer.lang()),
                    TextAnalyzer::from(FormTokenizer::new(analyzer.clone(), form)),
                );
            }
        }
        let writer = index.writer(WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Locked(e.to_string()),
            other => SearchError::Index(other),
        })?;
        // A few decompressed blocks of stored text per segment (snippets of
        // one results page), not the default hundred: that was memory kept
        // for nothing on a large archive.
        let reader =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).doc_store_cache_num_blocks(10).try_into()?;
        // Every segment's files must be there and readable: a search touches them all.
        let searcher: Searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            segment.get_store_reader(0).map_err(|e| SearchError::Index(tantivy::TantivyError::from(e)))?;
        }
        drop(searcher);
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzers,
            site_lang: std::sync::RwLock::new(site_lang),
            generation: std::sync::atomic::AtomicU64::new(0),
            read_past: std::sync::atomic::AtomicI64::new(i64::MIN),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Moves with every change to the index.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn stamp(&self) -> Stamp {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .map_or(Stamp { watermark: None, site_lang: None }, |p| Stamp::read(&p))
    }

    /// Up to where in the change log the index is current: the last
    /// commit's watermark, or further if the log was read on with nothing
    /// to index since. Articles changed after it may be missing.
    pub fn watermark(&self) -> Option<i64> {
        let committed = self.stamp().watermark?;
        Some(committed.max(self.read_past.load(std::sync::atomic::Ordering::Acquire)))
    }

    /// Notes that the log was read up to `position` and nothing in it
    /// needed indexing (no commit; after a restart it is read again).
    pub fn read_past(&self, position: i64) {
        self.read_past.fetch_max(position, std::sync::atomic::Ordering::AcqRel);
    }

    /// The language articles that name none are analyzed by.
    pub fn site_lang(&self) -> Lang {
        *self.site_lang.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether the index was built for site language `lang`: when the site
    /// language changes, articles that name none must be analyzed again
    /// (see [`SearchIndex::set_site_lang`]). An empty index fits any.
    pub fn built_for(&self, lang: Lang) -> bool {
        self.is_empty() || self.stamp().site_lang == Some(lang)
    }

    /// Makes `lang` the language of articles that name none, for what is
    /// indexed from now on; rebuild the index afterwards.
    pub fn set_site_lang(&self, lang: Lang) {
        *self.site_lang.write().unwrap_or_else(std::sync::PoisonError::into_inner) = lang;
    }

    fn analyzer(&self, lang: Lang) -> &Analyzer {
        &self.analyzers[lang_index(lang)]
    }

    fn document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let lang = lang_index(d.lang.unwrap_or_else(|| self.site_lang()));
        let title = &d.headline;
        let body = format!("{}\n{}\n{}", d.standfirst, d.body, d.tags.join(" "));
        let mut doc = doc!(
            f.id => d.id as u64,
            f.slug => d.slug.clone(),
            f.headline => d.headline.clone(),
            f.body_text => format!("{}\n{}", d.standfirst, d.body),
            f.category => d.category_id as u64,
            f.published => d.published_at.as_second(),
            f.status => d.status.as_str(),
        );
        for author in &d.author_ids {
            doc.add_u64(f.author, *author as u64);
        }
        if let Some(member) = d.created_by {
            doc.add_u64(f.creator, member as u64);
        }
        for i in 0..4 {
            doc.add_text(f.title[lang][i], title);
            doc.add_text(f.body[lang][i], &body);
        }
        let analyzer = &self.analyzers[lang];
        for tag in &d.tags {
            doc.add_text(f.tag, tag_term(analyzer, tag));
        }
        doc
    }

    /// Adds or replaces articles and removes others, then commits with
    /// `watermark`: after this returns, searches see the change.
    pub fn apply(&self, upsert: &[IndexDoc], remove: &[i64], watermark: Option<i64>) -> Result<(), SearchError> {
        let mut writer = self.writer();
        for id in remove.iter().copied().chain(upsert.iter().map(|d| d.id)) {
            writer.delete_term(Term::from_field_u64(self.fields.id, id as u64));
        }
        for d in upsert {
            writer.add_document(self.document(d))?;
        }
        let mut prepared = writer.prepare_commit()?;
        let stamp = Stamp { watermark: watermark.or_else(|| self.watermark()), site_lang: Some(self.site_lang()) };
        prepared.set_payload(&stamp.write());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }

    /// Empties the index (for a rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.delete_all_documents()?;
        writer.commit()?;
        drop(writer);
        self.read_past.store(i64::MIN, std::sync::atomic::Ordering::Release);
        self.reader.reload()?;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A word in every form, in the headline and body fields of `lang`.
    fn term_queries(&self, lang: Lang, word: &str, prefix: bool) -> Vec<Box<dyn Query>> {
        let (analyzer, l) = (self.analyzer(lang), lang_index(lang));
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        for form in Form::ALL {
            let text = analyzer.form(word, form);
            if text.is_empty() {
                continue;
            }
            for (fields, boost) in [(&self.fields.title[l], TITLE_BOOST), (&self.fields.body[l], 1.0)] {
                let field = fields[form_index(form)];
                let term = Term::from_field_text(field, &text);
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqsAndPositions));
                out.push(Box::new(BoostQuery::new(q, form_boost(form) * boost)));
                // A word as a prefix, in its exact and folded forms: the word being
                // typed, and a root whose suffixes the reader left out
                // (`dinle` for `dinleyiciler`).
                if prefix && matches!(form, Form::Exact | Form::Fold) {
                    let p: Box<dyn Query> = Box::new(PhrasePrefixQuery::new(vec![term]));
                    out.push(Box::new(BoostQuery::new(p, 0.5 * boost)));
                }
            }
        }
        out
    }

    /// `root` as a prefix of words, in the exact and folded forms of `lang`.
    fn prefix_queries(&self, lang: Lang, root: &str, weight: f32) -> Vec<Box<dyn Query>> {
        let (analyzer, l) = (self.analyzer(lang), lang_index(lang));
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        for form in [Form::Exact, Form::Fold] {
            let text = analyzer.form(root, form);
            for (fields, boost) in [(&self.fields.title[l], TITLE_BOOST), (&self.fields.body[l], 1.0)] {
                let term = Term::from_field_text(fields[form_index(form)], &text);
                let q: Box<dyn Query> = Box::new(PhrasePrefixQuery::new(vec![term]));
                out.push(Box::new(BoostQuery::new(q, weight * boost)));
            }
        }
        out
    }

    /// One `Must` clause per word, one per phrase; each is satisfied by any
    /// language's analysis of it, in that language's fields, in any form,
    /// headline or body.
    fn text_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let parsed = parse(text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let last = parsed.parts.len().saturating_sub(1);
        for (i, part) in parsed.parts.iter().enumerate() {
            let raw = match part {
                Part::Words(raw) | Part::Phrase(raw) => raw,
            };
            // Every language cuts a text into the same words; only their forms differ.
            let by_lang: Vec<(Lang, Vec<crate::analyzer::Word>)> =
                Lang::ALL.iter().map(|&lang| (lang, self.analyzer(lang).words(raw))).collect();
            let count = by_lang[0].1.len();
            let phrase = matches!(part, Part::Phrase(_)) && count >= 2;
            if phrase {
                let mut should: Vec<Box<dyn Query>> = Vec::new();
                for (lang, words) in &by_lang {
                    let (analyzer, l) = (self.analyzer(*lang), lang_index(*lang));
                    for form in Form::ALL {
                        for (fields, boost) in [(&self.fields.title[l], TITLE_BOOST), (&self.fields.body[l], 1.0)] {
                            let field = fields[form_index(form)];
                            let terms: Vec<Term> = words
                                .iter()
                                .map(|w| Term::from_field_text(field, &analyzer.form(&w.text, form)))
                                .collect();
                            let q: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
                            should.push(Box::new(BoostQuery::new(q, form_boost(form) * boost * 2.0)));
                        }
                    }
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::union(should))));
                continue;
            }
            for j in 0..count {
                let typing = matches!(part, Part::Words(_)) && parsed.last_is_prefix && i == last && j + 1 == count;
                let mut should: Vec<Box<dyn Query>> = Vec::new();
                for (lang, words) in &by_lang {
                    let Some(w) = words.get(j) else { continue };
                    let prefix = matches!(part, Part::Words(_)) && (typing || w.text.chars().count() >= 3);
                    should.extend(self.term_queries(*lang, &w.text, prefix));
                    if *lang == Lang::Tr && matches!(part, Part::Words(_)) {
                        for root in crate::analyzer::alternate_roots(&w.text) {
                            should.extend(self.prefix_queries(*lang, &root, 0.3));
                        }
                    }
                    if let Some(joined) = &w.joined {
                        should.extend(self.term_queries(*lang, joined, false));
                    }
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::union(should))));
            }
        }
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }
    fn filters(&self, request: &SearchRequest<'_>) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let published = |t: Timestamp| Term::from_field_i64(f.published, t.as_second());
        let from = request.from.map_or(Bound::Unbounded, |t| Bound::Included(published(t)));
        // Nothing from the future: scheduled articles are in the index, not in results.
        let until = match request.until {
            Some(u) if u <= request.now => Bound::Excluded(published(u)),
            _ => Bound::Included(published(request.now)),
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(RangeQuery::new(from, until))),
            (Occur::Must, self.status_is(Status::Published)),
        ];
        if let Some(c) = request.category_id {
            let term = Term::from_field_u64(f.category, c as u64);
            out.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        out
    }

    fn status_is(&self, status: Status) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(self.fields.status, status.as_str()), IndexRecordOption::Basic))
    }

    /// Published at `now` or before, or after it.
    fn published(&self, now: Timestamp, after: bool) -> Box<dyn Query> {
        let now = Term::from_field_i64(self.fields.published, now.as_second());
        let (from, until) =
            if after { (Bound::Excluded(now), Bound::Unbounded) } else { (Bound::Unbounded, Bound::Included(now)) };
        let status = self.status_is(Status::Published);
        Box::new(BooleanQuery::intersection(vec![status, Box::new(RangeQuery::new(from, until))]))
    }

    fn desk_filters(&self, request: &DeskRequest<'_>) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let term = |field: Field, value: i64| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_u64(field, value as u64), IndexRecordOption::Basic))
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = vec![match request.status {
            None => (Occur::MustNot, self.status_is(Status::Trash)),
            Some("scheduled") => (Occur::Must, self.published(request.now, true)),
            Some("published") => (Occur::Must, self.published(request.now, false)),
            Some(name) => {
                let term = Term::from_field_text(f.status, name);
                (Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
            }
        }];
        if let Some(c) = request.category_id {
            out.push((Occur::Must, term(f.category, c)));
        }
        if let Some(a) = request.author_id {
            out.push((Occur::Must, term(f.author, a)));
        }
        if let Some(member) = request.visible_to {
            let own_or_public = BooleanQuery::union(vec![term(f.creator, member), self.published(request.now, false)]);
            out.push((Occur::Must, Box::new(own_or_public)));
        }
        out
    }

    /// Searches. An empty query finds nothing (and is no error). Hits past
    /// [`MAX_DEPTH`] are never collected, whatever `offset` asks: the
    /// collector sizes its heap by `offset + limit`, so an unbounded offset
    /// let one request ask for gigabytes. Past it only the total is counted.
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<Results, SearchError> {
        let Some(text_query) = self.text_query(request.text) else { return Ok(Results::default()) };
        let mut clauses = self.filters(request);
        clauses.push((Occur::Must, text_query.box_clone()));
        let page = Page { newest_first: request.newest_first, limit: request.limit, offset: request.offset };
        self.collect(&BooleanQuery::new(clauses), Some(&*text_query), page)
    }

    /// Searches every article as the newsroom's desk filters them, for ids
    /// and headlines (no snippets). The same depth limit as [`Self::search`].
    pub fn desk(&self, request: &DeskRequest<'_>) -> Result<Results, SearchError> {
        let Some(text_query) = self.text_query(request.text) else { return Ok(Results::default()) };
        let mut clauses = self.desk_filters(request);
        clauses.push((Occur::Must, text_query));
        let page = Page { newest_first: request.newest_first, limit: request.limit, offset: request.offset };
        self.collect(&BooleanQuery::new(clauses), None, page)
    }

    /// One page of the documents `query` matches, and how many it matches;
    /// with `snippets_for`, each hit with a snippet of the words it matched.
    fn collect(
        &self,
        query: &BooleanQuery,
        snippets_for: Option<&dyn Query>,
        page: Page,
    ) -> Result<Results, SearchError> {
        let searcher = self.reader.searcher();
        let limit = page.limit.clamp(1, MAX_DEPTH);
        if page.offset.saturating_add(limit) > MAX_DEPTH {
            let total = searcher.search(query, &Count)?;
            return Ok(Results { total, hits: Vec::new() });
        }
        let (addresses, total): (Vec<(f32, DocAddress)>, usize) = if page.newest_first {
            let collector =
                TopDocs::with_limit(limit).and_offset(page.offset).order_by_fast_field::<i64>("published", Order::Desc);
            let (top, total) = searcher.search(query, &(collector, Count))?;
            (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
        } else {
            // Most relevant first; among equals, the newer first.
            let collector = TopDocs::with_limit(limit).and_offset(page.offset).tweak_score(
                move |segment: &tantivy::SegmentReader| {
                    let published = segment.fast_fields().i64("published").ok();
                    move |doc: tantivy::DocId, score: tantivy::Score| {
                        let at = published.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                        ((score * 1000.0).round() as i64, at, score)
                    }
                },
            );
            let (top, total) = searcher.search(query, &(collector, Count))?;
            (top.into_iter().map(|((_, _, score), a)| (score, a)).collect(), total)
        };
        let generators: Vec<SnippetGenerator> = match snippets_for {
            None => Vec::new(),
            Some(text_query) => self
                .fields
                .body
                .iter()
                .flatten()
                .filter_map(|field| SnippetGenerator::create(&searcher, text_query, *field).ok())
                .map(|mut g| {
                    g.set_max_num_chars(220);
                    g
                })
                .collect(),
        };
        let hits = addresses
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &generators))
            .collect::<Result<_, _>>()?;
        Ok(Results { total, hits })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        generators: &[SnippetGenerator],
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.fields;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let body = if generators.is_empty() { String::new() } else { text(f.body_text) };
        // The first form whose words are found in the body makes the snippet.
        let snippet = generators
            .iter()
            .map(|g| g.snippet(&body))
            .find(|s| !s.highlighted().is_empty())
            .map(|s| fragments(s.fragment(), s.highlighted()))
            .unwrap_or_else(
                || if body.is_empty() { Vec::new() } else { vec![(body.chars().take(200).collect(), false)] },
            );
        Ok(Hit {
            id: doc.get_first(f.id).and_then(|v| v.as_u64()).unwrap_or(0) as i64,
            slug: text(f.slug),
            headline: text(f.headline),
            published_at: Timestamp::from_second(doc.get_first(f.published).and_then(|v| v.as_i64()).unwrap_or(0))
                .unwrap_or(Timestamp::UNIX_EPOCH),
            score,
            snippet,
        })
    }

    /// Articles like the one given: its most telling words (in the stemmed
    /// form of its language, by frequency in it and rarity in the index, the
    /// names in it counting double), its tags, the same category weighing
    /// more; visible at `now`, never itself.
    ///
    /// Our own "more like this": tantivy's compares a document frequency that
    /// counts deleted documents with a document count that does not, and
    /// panics on an index where articles were re-indexed.
    pub fn related(&self, doc: &IndexDoc, now: Timestamp, limit: usize) -> Result<Vec<(i64, f32)>, SearchError> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let lang = doc.lang.unwrap_or_else(|| self.site_lang());
        let analyzer = self.analyzer(lang);
        let field = f.body[lang_index(lang)][form_index(Form::Stem)];
        let text = format!("{} {} {} {}", doc.headline, doc.standfirst, doc.body, doc.tags.join(" "));
        let names = crate::analyzer::names(&text);
        let mut frequency: std::collections::HashMap<String, f32> = std::collections::HashMap::new();
        for token in FormTokenizer::new(analyzer.clone(), Form::Stem).tokens(&text) {
            if token.text.chars().count() >= 3 {
                let weight = if names.contains(&token.offset_from) { 2.0 } else { 1.0 };
                *frequency.entry(token.text).or_default() += weight;
            }
        }
        // Both counts include deleted documents, so rarity is never negative.
        let total: u64 = searcher.segment_readers().iter().map(|s| u64::from(s.max_doc())).sum();
        let mut weighted: Vec<(f32, Term)> = Vec::new();
        for (word, tf) in frequency {
            let term = Term::from_field_text(field, &word);
            let df = searcher.doc_freq(&term)?.min(total);
            let idf = (1.0 + (total - df) as f32 / (df as f32 + 0.5)).ln();
            weighted.push((tf * idf, term));
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        weighted.truncate(25);
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let like_weights: Vec<f32> = weighted.iter().map(|(w, _)| *w).collect();
        let like: Vec<Box<dyn Query>> = weighted
            .into_iter()
            .map(|(weight, term)| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                Box::new(BoostQuery::new(q, weight)) as Box<dyn Query>
            })
            .collect();
        let same_category =
            TermQuery::new(Term::from_field_u64(f.category, doc.category_id as u64), IndexRecordOption::Basic);
        let visible = self.published(now, false);
        let itself = TermQuery::new(Term::from_field_u64(f.id, doc.id as u64), IndexRecordOption::Basic);
        // A shared tag says more than a shared word: as much as the best word.
        let top_weight = like_weight_max(&like_weights);
        let mut tags: Vec<Box<dyn Query>> = Vec::new();
        for tag in &doc.tags {
            let term = Term::from_field_text(f.tag, &tag_term(analyzer, tag));
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            tags.push(Box::new(BoostQuery::new(q, top_weight)));
        }
        let mut like = like;
        like.extend(tags);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::union(like))),
            (Occur::Should, Box::new(BoostQuery::new(Box::new(same_category), 1.5))),
            (Occur::Must, visible),
            (Occur::MustNot, Box::new(itself)),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit))?;
        // The id from its fast field: no stored document is decompressed.
        top.into_iter()
            .map(|(score, address)| {
                let ids = searcher.segment_reader(address.segment_ord).fast_fields().u64("id")?;
                Ok((ids.first(address.doc_id).unwrap_or(0) as i64, score))
            })
            .collect()
    }
}

fn like_weight_max(weights: &[f32]) -> f32 {
    weights.iter().copied().fold(1.0, f32::max)
}

/// A snippet's text cut into plain and matched pieces.
fn fragments(text: &str, highlighted: &[std::ops::Range<usize>]) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut at = 0;
    for range in highlighted {
        let (start, end) = (range.start.min(text.len()), range.end.min(text.len()));
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            out.push((text[at..start].to_owned(), false));
        }
        out.push((text[start..end].to_owned(), true));
        at = end;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), false));
    }
    out
}
