//! The 380 news sentences of UD Turkish BOUN, indexed as articles; for each,
//! queries made of its two rarest words, typed as a reader might: as written,
//! in capitals, without Turkish letters, and without suffixes. Each must find
//! its sentence among the first three results.

use jiff::Timestamp;
use manset_search::{Analyzer, IndexDoc, SearchIndex, SearchRequest};
use manset_text::Lang;

fn turkish_upper(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'i' => "İ".to_owned(),
            'ı' => "I".to_owned(),
            c => c.to_uppercase().collect(),
        })
        .collect()
}

/// The treebank's tokens by sentence id: (form, gold lemma, part of speech).
fn lemmas() -> std::collections::HashMap<String, Vec<(String, String, String)>> {
    let dir = manset_testkit::shared_dir().expect("checked by the caller").join("testdata/turkish/ud-boun");
    let mut out = std::collections::HashMap::new();
    for file in ["tr_boun-ud-dev.conllu", "tr_boun-ud-test.conllu"] {
        let text = std::fs::read_to_string(dir.join(file)).expect("the treebank");
        let mut id = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# sent_id = ") {
                id = rest.trim().to_owned();
            } else if !line.starts_with('#') && !line.is_empty() {
                let cols: Vec<&str> = line.split('\t').collect();
                if cols.len() > 3 && !cols[0].contains('-') {
                    let token = (cols[1].to_owned(), cols[2].to_owned(), cols[3].to_owned());
                    out.entry(id.clone()).or_insert_with(Vec::new).push(token);
                }
            }
        }
    }
    out
}

fn sentences() -> Option<Vec<(String, String)>> {
    let dir = manset_testkit::shared_dir()?;
    let text = std::fs::read_to_string(dir.join("testdata/turkish/ud-boun/news-sentences.txt")).expect("the sentences");
    Some(text.lines().filter_map(|l| l.split_once('\t')).map(|(id, s)| (id.to_owned(), s.to_owned())).collect())
}

#[test]
fn every_sentence_is_found_by_its_words_however_they_are_typed() {
    let Some(sentences) = sentences() else { return };
    assert_eq!(sentences.len(), 380);
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    let published = Timestamp::from_second(1_700_000_000).unwrap();
    let docs: Vec<IndexDoc> = sentences
        .iter()
        .enumerate()
        .map(|(i, (id, text))| IndexDoc {
            id: i as i64 + 1,
            slug: id.clone(),
            headline: format!("Haber {}", i + 1),
            standfirst: String::new(),
            body: text.clone(),
            tags: vec![],
            category_id: 1,
            published_at: published,
            lang: None,
            status: manset_core::Status::Published,
            author_ids: vec![],
            created_by: None,
        })
        .collect();
    index.apply(&docs, &[], Some(1)).unwrap();
    assert_eq!(index.len(), 380);

    // How many sentences each word (as written, lowercased) is in.
    let analyzer = Analyzer::new(Lang::Tr);
    let mut frequency = std::collections::HashMap::<String, usize>::new();
    for (_, text) in &sentences {
        let mut seen = std::collections::HashSet::new();
        for w in analyzer.words(text) {
            if seen.insert(analyzer.stem(&w.text)) {
                *frequency.entry(analyzer.stem(&w.text)).or_default() += 1;
            }
        }
    }
    let lemmas = lemmas();
    let now = Timestamp::now();
    let mut checked = 0;
    let mut misses = Vec::new();
    for (i, (id, text)) in sentences.iter().enumerate() {
        // The two rarest words a reader would search for (nouns, names and
        // adjectives of four letters or more), as written in the sentence.
        let tokens = lemmas.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let content = |surface: &str| {
            let cut = surface.split(manset_search::analyzer::is_apostrophe).next().unwrap_or(surface);
            tokens.iter().any(|(form, _, pos)| {
                (form == surface || form == cut) && matches!(pos.as_str(), "NOUN" | "PROPN" | "ADJ")
            })
        };
        let mut words: Vec<(usize, &str, String)> = analyzer
            .words(text)
            .into_iter()
            .filter(|w| w.text.chars().filter(|c| c.is_alphabetic()).count() >= 4 && content(&text[w.from..w.to]))
            .map(|w| (frequency[&analyzer.stem(&w.text)], &text[w.from..w.to], analyzer.stem(&w.text)))
            .collect();
        words.sort_by_key(|(f, surface, _)| (*f, std::cmp::Reverse(surface.chars().count())));
        words.dedup_by(|a, b| a.2 == b.2);
        words.truncate(2);
        // A sentence with one such word gets its rarest other word as well.
        if words.len() < 2 {
            let mut others: Vec<(usize, &str, String)> = analyzer
                .words(text)
                .into_iter()
                .filter(|w| w.text.chars().filter(|c| c.is_alphabetic()).count() >= 4)
                .map(|w| (frequency[&analyzer.stem(&w.text)], &text[w.from..w.to], analyzer.stem(&w.text)))
                .filter(|w| !words.iter().any(|x| x.2 == w.2))
                .collect();
            others.sort_by_key(|(f, surface, _)| (*f, std::cmp::Reverse(surface.chars().count())));
            words.extend(others.into_iter().take(2 - words.len()));
        }
        if words.is_empty() {
            continue;
        }
        let written: Vec<&str> = words.iter().map(|w| w.1).collect();
        let lowered: Vec<String> = written.iter().map(|w| analyzer.lowercase(w).into_owned()).collect();
        let folded: Vec<String> = lowered.iter().map(|w| manset_search::analyzer::fold(w)).collect();
        // Without suffixes: the treebank's gold lemma of each word. A reader
        // does not search `ak` for `akıyor`, nor two words one of which
        // begins the other: such lemmas are typed as written instead.
        let mut bare: Vec<String> = written
            .iter()
            .map(|w| {
                let cut = w.split(manset_search::analyzer::is_apostrophe).next().unwrap_or(w);
                tokens
                    .iter()
                    .find(|(form, _, _)| form == w || form == cut)
                    // The treebank marks homographs: `din(I)`.
                    .map(|(_, lemma, _)| lemma.split('(').next().unwrap_or(lemma).to_owned())
                    .filter(|lemma| lemma.chars().count() >= 3)
                    .unwrap_or_else(|| cut.to_owned())
            })
            .collect();
        if bare.len() == 2 {
            let (a, b) = (analyzer.lowercase(&bare[0]).into_owned(), analyzer.lowercase(&bare[1]).into_owned());
            if a.starts_with(&b) || b.starts_with(&a) {
                bare = written.iter().map(|w| (*w).to_owned()).collect();
            }
        }
        let queries = [
            written.join(" "),
            turkish_upper(&written.join(" ")),
            lowered.join(" "),
            folded.join(" "),
            folded.join(" ").to_ascii_uppercase(),
            bare.join(" "),
            manset_search::analyzer::fold(&bare.join(" ")),
        ];
        for query in queries {
            checked += 1;
            let request = SearchRequest {
                text: &query,
                category_id: None,
                from: None,
                until: None,
                newest_first: false,
                now,
                limit: 3,
                offset: 0,
            };
            let results = index.search(&request).unwrap();
            if !results.hits.iter().any(|h| h.id == i as i64 + 1) {
                misses
                    .push(format!("{id}: {query:?} → {:?}", results.hits.iter().map(|h| &h.slug).collect::<Vec<_>>()));
            }
        }
    }
    assert!(checked >= 330 * 7, "{checked} queries: most sentences have a noun, a name or an adjective");
    assert!(misses.is_empty(), "{} of {checked} queries missed their sentence:\n{}", misses.len(), misses.join("\n"));
}

#[test]
fn phrases_prefixes_filters_and_hostile_queries() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    let doc = |id: i64, headline: &str, body: &str, category: i64, published: i64| IndexDoc {
        id,
        slug: format!("haber-{id}"),
        headline: headline.into(),
        standfirst: String::new(),
        body: body.into(),
        tags: vec![],
        category_id: category,
        published_at: at(published),
        lang: None,
        status: manset_core::Status::Published,
        author_ids: vec![],
        created_by: None,
    };
    index
        .apply(
            &[
                doc(1, "Orta Koridor’da yük arttı", "Orta Koridor üzerinden taşınan yük yüzde 40 arttı.", 1, 1_000),
                doc(2, "Koridor tartışması", "Orta Asya’dan gelen tırlar koridorda bekliyor.", 2, 2_000),
                doc(3, "O’Brien Bakü’de", "James O’Brien’ın ziyareti sürüyor.", 1, 3_000),
                doc(4, "Yarın yayımlanacak", "Orta Koridor haberi ambargolu.", 1, 9_999_999_999),
            ],
            &[],
            Some(1),
        )
        .unwrap();
    let search = |text: &str, category: Option<i64>, newest: bool| {
        let request = SearchRequest {
            text,
            category_id: category,
            from: None,
            until: None,
            newest_first: newest,
            now: at(5_000),
            limit: 10,
            offset: 0,
        };
        index.search(&request).unwrap().hits.iter().map(|h| h.id).collect::<Vec<_>>()
    };
    assert_eq!(search("\"Orta Koridor\"", None, false), [1], "a phrase, and nothing from the future");
    assert_eq!(search("koridor", Some(2), false), [2]);
    assert_eq!(search("obrien", None, false), [3]);
    assert_eq!(search("O'Brien'ın", None, false), [3]);
    assert_eq!(search("Kori", None, false).len(), 2, "the last word as a prefix");
    let newest = search("koridor", None, true);
    assert_eq!(newest, [2, 1]);
    for hostile in ["", "   ", "\"", "\"\"", "AND OR NOT", "((((", "title:x^3", "*", &"ş".repeat(10_000), "- + ~ :"] {
        let _ = search(hostile, None, false);
    }
    let hits = index
        .search(&SearchRequest {
            text: "taşınan yük",
            category_id: None,
            from: None,
            until: None,
            newest_first: false,
            now: at(5_000),
            limit: 1,
            offset: 0,
        })
        .unwrap();
    let marked: Vec<&str> = hits.hits[0].snippet.iter().filter(|(_, m)| *m).map(|(t, _)| t.as_str()).collect();
    assert!(marked.contains(&"taşınan") && marked.contains(&"yük"), "{:?}", hits.hits[0].snippet);
}

#[test]
fn related_articles_survive_articles_indexed_again_and_again() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    let doc = |id: i64, body: &str| IndexDoc {
        id,
        slug: format!("haber-{id}"),
        headline: format!("Haber {id}"),
        standfirst: String::new(),
        body: body.into(),
        tags: vec![],
        category_id: 1,
        published_at: Timestamp::from_second(1_000).unwrap(),
        lang: None,
        status: manset_core::Status::Published,
        author_ids: vec![],
        created_by: None,
    };
    let liman = doc(1, "Bakü limanında yük gemileri bekliyor, liman genişliyor.");
    index
        .apply(
            &[liman.clone(), doc(2, "Liman genişliyor ve yük gemileri artıyor."), doc(3, "Futbol maçı.")],
            &[],
            Some(1),
        )
        .unwrap();
    // Every save re-indexes: the index then holds deleted copies until it merges.
    for _ in 0..12 {
        index.apply(std::slice::from_ref(&liman), &[], None).unwrap();
    }
    let related = index.related(&liman, Timestamp::from_second(2_000).unwrap(), 5).unwrap();
    assert_eq!(related.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [2]);
}
