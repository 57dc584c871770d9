//! Articles in more than one language: each analyzed by its own rules.

use jiff::Timestamp;
use manset_search::{IndexDoc, SearchIndex, SearchRequest};
use manset_text::Lang;

fn doc(id: i64, body: &str, lang: Option<Lang>) -> IndexDoc {
    IndexDoc {
        id,
        slug: format!("haber-{id}"),
        headline: format!("Haber {id}"),
        standfirst: String::new(),
        body: body.into(),
        tags: vec![],
        category_id: 1,
        published_at: Timestamp::from_second(1_000).unwrap(),
        lang,
        status: manset_core::Status::Published,
        author_ids: vec![],
        created_by: None,
    }
}

fn found(index: &SearchIndex, text: &str) -> Vec<i64> {
    let request = SearchRequest {
        text,
        category_id: None,
        from: None,
        until: None,
        newest_first: false,
        now: Timestamp::from_second(2_000).unwrap(),
        limit: 10,
        offset: 0,
    };
    let mut ids: Vec<i64> = index.search(&request).unwrap().hits.iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn an_english_article_is_stemmed_by_english_rules_on_a_turkish_site() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    let text = "The ministers were meeting in Baku; studies of the corridor followed.";
    index.apply(&[doc(1, text, Some(Lang::En)), doc(2, text, None)], &[], Some(1)).unwrap();
    // English stems: `meets` and `meeting` are `meet`, `study` and `studies` are `studi`.
    assert_eq!(found(&index, "meets"), [1], "only the article analyzed as English");
    assert_eq!(found(&index, "study"), [1]);
    // What both analyses share still finds both.
    assert_eq!(found(&index, "Baku"), [1, 2]);
}

#[test]
fn a_turkish_article_is_analyzed_by_turkish_rules_on_an_english_site() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::En).unwrap();
    let text = "Aliyev'in ISPARTA ziyaretinde bakanlarla görüştü.";
    index.apply(&[doc(1, text, Some(Lang::Tr)), doc(2, text, None)], &[], Some(1)).unwrap();
    // Typed with or without Turkish letters, in any case, both are found (folded forms).
    assert_eq!(found(&index, "Isparta"), [1, 2]);
    assert_eq!(found(&index, "ısparta"), [1, 2]);
    assert_eq!(found(&index, "Aliyev’in"), [1, 2]);
    // Only Turkish stemming knows `bakanlarla` and `bakanın` share a root.
    assert_eq!(found(&index, "bakanın"), [1]);
    assert_eq!(found(&index, "BAKANIN"), [1], "Turkish capitals: `I` is `ı`");
}

#[test]
fn the_index_knows_which_site_language_it_was_built_for() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    assert!(index.built_for(Lang::En), "an empty index fits any language");
    index.apply(&[doc(1, "Bakü limanı", None)], &[], Some(7)).unwrap();
    assert!(index.built_for(Lang::Tr));
    assert!(!index.built_for(Lang::En));
    drop(index);
    let reopened = SearchIndex::open(dir.path(), Lang::En).unwrap();
    assert!(!reopened.built_for(Lang::En), "the stamp is in the index, not in memory");
    assert_eq!(reopened.watermark(), Some(7));
}

#[test]
fn a_shared_tag_makes_an_article_related() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    let mut this = doc(1, "Bakü limanında yük gemileri bekliyor, liman genişliyor.", None);
    this.tags = vec!["Orta Koridor".into()];
    let mut tagged = doc(2, "Tır kuyrukları sınırda uzuyor; liman yoğun.", None);
    tagged.tags = vec!["ORTA KORİDOR".into()];
    let untagged = doc(3, "Liman işçileri grevde; gemiler bekliyor.", None);
    let english = doc(4, "Bakü limanında yük gemileri bekliyor, liman genişliyor.", Some(Lang::En));
    index.apply(&[this.clone(), tagged, untagged, english], &[], Some(1)).unwrap();
    let related: Vec<i64> =
        index.related(&this, Timestamp::from_second(2_000).unwrap(), 5).unwrap().iter().map(|(id, _)| *id).collect();
    assert_eq!(related.first(), Some(&2), "the tagged article first: {related:?}");
    assert!(related.contains(&3));
    assert!(!related.contains(&1), "never itself");
    assert!(!related.contains(&4), "an article in another language is analyzed apart: {related:?}");
}

#[test]
fn a_damaged_index_is_built_anew_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    index.apply(&[doc(1, "Bakü limanı genişliyor", None)], &[], Some(5)).unwrap();
    drop(index);
    // Every segment file cut short, as a full disk or a crash might leave them.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") && !name.starts_with('.') {
            std::fs::write(&path, b"broken").unwrap();
        }
    }
    let reopened = SearchIndex::open(dir.path(), Lang::Tr).expect("opens, empty, instead of failing");
    assert!(reopened.is_empty() && reopened.watermark().is_none(), "empty: the catch-up at start fills it");
    // A missing meta.json (a folder copied half) is no trouble either.
    drop(reopened);
    std::fs::remove_file(dir.path().join("meta.json")).unwrap();
    assert!(SearchIndex::open(dir.path(), Lang::Tr).unwrap().is_empty());
}
