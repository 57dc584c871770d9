//! The newsroom's desk searches every article through the same analysis
//! as readers, with the desk's filters; readers never see what is not
//! published.

use jiff::Timestamp;
use manset_core::Status;
use manset_search::{DeskRequest, IndexDoc, SearchIndex, SearchRequest};
use manset_text::Lang;

const NOW: i64 = 10_000;

fn doc(id: i64, headline: &str, status: Status, published: i64, author: i64, creator: i64) -> IndexDoc {
    IndexDoc {
        id,
        slug: format!("haber-{id}"),
        headline: headline.into(),
        standfirst: String::new(),
        body: "Limanda yük gemileri bekliyor.".into(),
        tags: vec![],
        category_id: 1 + id % 2,
        published_at: Timestamp::from_second(published).unwrap(),
        lang: None,
        status,
        author_ids: vec![author],
        created_by: Some(creator),
    }
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Lang::Tr).unwrap();
    index
        .apply(
            &[
                doc(1, "Bakü limanında yeni rıhtım", Status::Published, NOW - 100, 7, 70),
                doc(2, "Limana gelen gemiler", Status::Draft, NOW - 50, 8, 80),
                doc(3, "Liman işçileri grevde", Status::Review, NOW - 40, 7, 80),
                doc(4, "Limanın yarınki açılışı", Status::Published, NOW + 3_600, 8, 70),
                doc(5, "Eski liman haberi", Status::Unpublished, NOW - 900, 7, 70),
                doc(6, "Çöpe atılan liman taslağı", Status::Trash, NOW - 30, 8, 80),
            ],
            &[],
            None,
        )
        .unwrap();
    (dir, index)
}

fn desk<'a>(text: &'a str) -> DeskRequest<'a> {
    DeskRequest {
        text,
        status: None,
        category_id: None,
        author_id: None,
        visible_to: None,
        newest_first: true,
        now: Timestamp::from_second(NOW).unwrap(),
        limit: 50,
        offset: 0,
    }
}

fn ids(index: &SearchIndex, request: &DeskRequest<'_>) -> Vec<i64> {
    index.desk(request).unwrap().hits.iter().map(|h| h.id).collect()
}

#[test]
fn readers_find_only_what_is_published_and_due() {
    let (_dir, index) = index();
    let request = SearchRequest {
        text: "liman",
        category_id: None,
        from: None,
        until: None,
        newest_first: true,
        now: Timestamp::from_second(NOW).unwrap(),
        limit: 50,
        offset: 0,
    };
    let found: Vec<i64> = index.search(&request).unwrap().hits.iter().map(|h| h.id).collect();
    assert_eq!(found, [1], "drafts, review, scheduled, withdrawn and trashed stay out");
}

#[test]
fn the_desk_finds_every_status_but_the_trash_in_every_form_of_the_word() {
    let (_dir, index) = index();
    assert_eq!(ids(&index, &desk("liman")), [4, 3, 2, 1, 5], "newest first; the trash left out");
    assert_eq!(ids(&index, &desk("LİMAN")), [4, 3, 2, 1, 5], "Turkish capitals");
    let results = index.desk(&desk("liman")).unwrap();
    assert_eq!(results.total, 5);
    assert_eq!(results.hits[0].headline, "Limanın yarınki açılışı");
}

#[test]
fn the_desk_filters_by_status_as_the_newsroom_names_it() {
    let (_dir, index) = index();
    for (status, expected) in [
        ("draft", vec![2]),
        ("review", vec![3]),
        ("scheduled", vec![4]),
        ("published", vec![1]),
        ("unpublished", vec![5]),
        ("trash", vec![6]),
    ] {
        assert_eq!(ids(&index, &DeskRequest { status: Some(status), ..desk("liman") }), expected, "{status}");
    }
}

#[test]
fn the_desk_filters_by_author_category_and_what_a_member_may_see() {
    let (_dir, index) = index();
    assert_eq!(ids(&index, &DeskRequest { author_id: Some(7), ..desk("liman") }), [3, 1, 5]);
    assert_eq!(ids(&index, &DeskRequest { category_id: Some(2), ..desk("liman") }), [3, 1, 5]);
    // Member 80 created 2, 3 (and the trashed 6); 1 is public; 4 is embargoed, 5 withdrawn.
    assert_eq!(ids(&index, &DeskRequest { visible_to: Some(80), ..desk("liman") }), [3, 2, 1]);
}
