//! What the service does, called as every door calls it: one call per thing
//! the site does, with the time on a manual clock.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use manset_core::comment::{CommentForm, Field};
use manset_core::workflow::Move;
use manset_core::{ArticleInput, CommentStatus, Lang, Role, Status};
use manset_search::SearchRequest;
use manset_service::articles::{Draft, Mode, Moved, Problem};
use manset_service::comments::{Refusal, Submission, Taken};
use manset_service::{Actor, Clock, MediaFiles, Service, search_sync};
use manset_store::Store;

struct Site {
    _dir: tempfile::TempDir,
    service: Service,
    clock: Clock,
}

async fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).await.unwrap();
    let search = Arc::new(search_sync::open_index(&dir.path().join("data"), Lang::Tr).unwrap());
    let clock = Clock::manual("2026-03-02T09:00:00Z".parse().unwrap());
    let media = MediaFiles::new(&dir.path().join("media"));
    Site { service: Service::new(store, search, media, clock.clone()), clock, _dir: dir }
}

async fn member(site: &Site, email: &str, role: Role) -> Actor {
    let hash = manset_service::accounts::hash_password("uzun bir parola 123").unwrap();
    let user = site.service.store().create_user(email, "Ayşe Yılmaz", role, &hash, site.clock.now()).await;
    Actor { user: user.unwrap().unwrap(), ip: Some("192.0.2.7".parse().unwrap()) }
}

fn draft(headline: &str) -> Draft {
    let input = ArticleInput {
        headline: headline.into(),
        standfirst: "Spot".into(),
        body: "Kars'ta demiryolu hattında sefer sayısı arttı.".into(),
        slug: None,
        category: "Gündem".into(),
        tags: vec![],
        authors: vec!["Ayşe Yılmaz".into()],
        published_at: Timestamp::UNIX_EPOCH,
        updated_at: None,
        status: Status::Draft,
        sources: vec![],
        seo_title: None,
        seo_description: None,
        correction: None,
        image: None,
        lang: None,
    };
    Draft { input, publish_at: None, base_revision: None }
}

fn found(site: &Site, text: &str) -> usize {
    let request = SearchRequest {
        text,
        category_id: None,
        from: None,
        until: None,
        newest_first: false,
        now: site.clock.now(),
        limit: 10,
        offset: 0,
    };
    site.service.search().search(&request).unwrap().total
}

#[tokio::test]
async fn publishing_is_one_call_that_saves_dates_revises_indexes_and_audits() {
    let site = site().await;
    let editor = member(&site, "editor@example.com", Role::Editor).await;
    let service = &site.service;

    let saved = service.move_article(&editor, None, Move::Save, Ok(draft("Kars hattı")), Mode::Editor).await.unwrap();
    let Moved::Saved { id, created: true, revision: 1 } = saved else { panic!("{saved:?}") };
    assert_eq!(found(&site, "demiryolu"), 0, "a draft is not searchable");

    site.clock.advance(SignedDuration::from_mins(5));
    let article = service.editable_article(&editor.user, id).await.unwrap();
    let published =
        service.move_article(&editor, Some(&article), Move::Publish, Ok(draft("Kars hattı")), Mode::Editor).await;
    assert_eq!(published.unwrap(), Moved::Saved { id, created: false, revision: 2 });

    let article = service.store().editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.status, Status::Published);
    assert_eq!(article.input.published_at, site.clock.now(), "a first publication is dated by the clock");
    assert_eq!(service.store().revisions(id).await.unwrap().len(), 2);
    assert_eq!(found(&site, "demiryolu"), 1, "searchable before the call returns");
    let (log, _) = service.store().audit_entries(Some("article"), 10, 0).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["article.publish", "article.create"]);
    assert_eq!(log[0].ip.as_deref(), Some("192.0.2.7"));

    // A correction needs its note; only a correction writes one.
    let article = service.store().editable_article(id).await.unwrap().unwrap();
    let unnoted = service.move_article(&editor, Some(&article), Move::Correct, Ok(draft("Kars hattı")), Mode::Editor);
    assert_eq!(unnoted.await.unwrap(), Moved::Refused(Problem::Correction));
    let mut noted = draft("Kars hattı");
    noted.input.correction = Some("Sefer sayısı düzeltildi.".into());
    let saved = service.move_article(&editor, Some(&article), Move::Save, Ok(noted), Mode::Editor).await.unwrap();
    assert_eq!(saved, Moved::Saved { id, created: false, revision: 3 });
    let article = service.store().editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.correction, None, "a plain save keeps the note as it was");
    assert_eq!(article.input.updated_at, Some(site.clock.now()), "an update of a published article is stamped");
}

#[tokio::test]
async fn the_rules_of_a_move_are_the_services_whoever_asks() {
    let site = site().await;
    let author = member(&site, "yazar@example.com", Role::Author).await;
    let contributor = member(&site, "muhabir@example.com", Role::Contributor).await;
    let service = &site.service;
    let Moved::Saved { id, .. } =
        service.move_article(&contributor, None, Move::Save, Ok(draft("Taslak")), Mode::Editor).await.unwrap()
    else {
        panic!()
    };
    let article = service.store().editable_article(id).await.unwrap().unwrap();

    // A contributor does not publish, however the request is made.
    let publish = service.move_article(&contributor, Some(&article), Move::Publish, Ok(draft("x")), Mode::Editor);
    assert!(matches!(publish.await, Err(manset_service::Error::NotAllowed)));
    // Nor opens another member's draft.
    assert!(matches!(service.editable_article(&author.user, id).await, Err(manset_service::Error::NotAllowed)));
    // A draft the door could not read is refused once the move is allowed,
    let unread = service.move_article(&contributor, Some(&article), Move::Save, Err(Problem::PublishAt), Mode::Editor);
    assert_eq!(unread.await.unwrap(), Moved::Refused(Problem::PublishAt));
    // and the editor's background save only ever saves a draft as a draft.
    let autosave = service.move_article(&contributor, Some(&article), Move::Submit, Ok(draft("x")), Mode::Autosave);
    assert_eq!(autosave.await.unwrap(), Moved::Refused(Problem::AutosaveDraftsOnly));
    let empty = Draft { input: ArticleInput { headline: " ".into(), ..draft("x").input }, ..draft("x") };
    let refused = service.move_article(&contributor, Some(&article), Move::Save, Ok(empty), Mode::Autosave);
    assert_eq!(refused.await.unwrap(), Moved::Refused(Problem::Headline));
    assert_eq!(service.store().revisions(id).await.unwrap().len(), 1, "nothing refused was written");
}

#[tokio::test]
async fn a_comment_is_taken_or_refused_with_its_reasons_by_the_clock() {
    let site = site().await;
    let editor = member(&site, "editor@example.com", Role::Editor).await;
    let service = &site.service;
    service.store().set_setting("comments.min_seconds", "0").await.unwrap();
    let Moved::Saved { id, .. } =
        service.move_article(&editor, None, Move::Publish, Ok(draft("Kars hattı")), Mode::Editor).await.unwrap()
    else {
        panic!()
    };
    let slug = service.store().editable_article(id).await.unwrap().unwrap().slug;
    let article = service.store().published_article(&slug, site.clock.now()).await.unwrap().unwrap();
    let shown = site.clock.now().as_second();
    let submission = |form: CommentForm, shown: Option<i64>| Submission {
        article: &article,
        form,
        parent_id: None,
        form_shown_at: shown,
        honeypot_filled: false,
        ip: "198.51.100.4".parse().unwrap(),
        own_comment_ids: &[],
        site_name: "Kafkas Postası",
        lang: Lang::Tr,
    };
    let good = CommentForm {
        body: "Sefer saatleri de açıklansın.".into(),
        name: "Okur".into(),
        email: "okur@example.com".into(),
        url: String::new(),
    };

    let invalid = CommentForm { email: "okur@".into(), body: String::new(), ..good.clone() };
    let Taken::Refused(Refusal::Invalid(problems)) =
        service.take_comment(submission(invalid, Some(shown))).await.unwrap()
    else {
        panic!("an invalid comment is refused")
    };
    let fields: Vec<Field> = problems.iter().map(|(f, _)| *f).collect();
    assert!(fields.contains(&Field::Body) && fields.contains(&Field::Email), "{fields:?}");

    // Two days and a second after the form was shown, it has expired.
    site.clock.advance(SignedDuration::from_hours(48) + SignedDuration::from_secs(1));
    let late = service.take_comment(submission(good.clone(), Some(shown))).await.unwrap();
    assert!(matches!(late, Taken::Refused(Refusal::FormExpired)), "{late:?}");
    let forged = service.take_comment(submission(good.clone(), None)).await.unwrap();
    assert!(matches!(forged, Taken::Refused(Refusal::FormExpired)), "{forged:?}");

    let fresh = site.clock.now().as_second() - 60;
    let Taken::Stored { status, at, .. } = service.take_comment(submission(good.clone(), Some(fresh))).await.unwrap()
    else {
        panic!("a good comment is stored")
    };
    assert_eq!(status, CommentStatus::Pending, "a stranger's first comment waits for a moderator");
    assert_eq!(at, site.clock.now());
    let again = service.take_comment(submission(good, Some(fresh))).await.unwrap();
    assert!(matches!(again, Taken::Refused(Refusal::Duplicate)), "{again:?}");
}

#[tokio::test]
async fn a_save_over_someone_elses_newer_revision_is_refused_and_writes_nothing() {
    let site = site().await;
    let ayse = member(&site, "ayse@example.com", Role::Editor).await;
    let mehmet = member(&site, "mehmet@example.com", Role::Editor).await;
    let service = &site.service;
    let Moved::Saved { id, revision, .. } =
        service.move_article(&ayse, None, Move::Save, Ok(draft("İlk başlık")), Mode::Editor).await.unwrap()
    else {
        panic!()
    };
    // Both open revision 1; Ayşe saves first.
    let opened = service.store().editable_article(id).await.unwrap().unwrap();
    let from = |headline: &str| Draft { base_revision: Some(revision), ..draft(headline) };
    let first = service.move_article(&ayse, Some(&opened), Move::Save, Ok(from("Ayşe'nin başlığı")), Mode::Editor);
    assert_eq!(first.await.unwrap(), Moved::Saved { id, created: false, revision: 2 });
    let second = service.move_article(&mehmet, Some(&opened), Move::Save, Ok(from("Mehmet'in başlığı")), Mode::Editor);
    assert_eq!(second.await.unwrap(), Moved::Stale { base: 1, current: 2 });
    let article = service.store().editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.headline, "Ayşe'nin başlığı", "the first save stands");
    assert_eq!(service.store().revisions(id).await.unwrap().len(), 2);
    // Starting from the newest revision, the same save lands.
    let again = Draft { base_revision: Some(2), ..draft("Mehmet'in başlığı") };
    let third = service.move_article(&mehmet, Some(&article), Move::Save, Ok(again), Mode::Editor).await.unwrap();
    assert_eq!(third, Moved::Saved { id, created: false, revision: 3 });
}

#[tokio::test]
async fn an_autosave_keeps_what_was_typed_apart_from_the_article_until_a_save() {
    let site = site().await;
    let ayse = member(&site, "ayse@example.com", Role::Editor).await;
    let mehmet = member(&site, "mehmet@example.com", Role::Editor).await;
    let service = &site.service;
    let Moved::Saved { id, .. } =
        service.move_article(&ayse, None, Move::Publish, Ok(draft("Kars hattı")), Mode::Editor).await.unwrap()
    else {
        panic!()
    };
    let kept = service.autosave(&ayse, id, 1, "headline=Yar%C4%B1m").await.unwrap();
    assert_eq!(kept, manset_service::editing::Autosaved::Kept { at: site.clock.now() });
    let article = service.store().editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.input.headline, "Kars hattı", "the live article is untouched");
    assert_eq!(service.store().revisions(id).await.unwrap().len(), 1, "an autosave is no revision");
    let slot = service.autosaved(ayse.user.id, id).await.unwrap().expect("Ayşe's slot");
    assert_eq!((slot.base_revision, slot.content.as_str()), (1, "headline=Yar%C4%B1m"));
    assert_eq!(service.autosaved(mehmet.user.id, id).await.unwrap(), None, "a slot per member");
    let huge = "x".repeat(manset_service::editing::MAX_AUTOSAVE_BYTES + 1);
    assert_eq!(service.autosave(&ayse, id, 1, &huge).await.unwrap(), manset_service::editing::Autosaved::TooLarge);

    // Ayşe's save empties her slot.
    let article = service.store().editable_article(id).await.unwrap().unwrap();
    let saved = Draft { base_revision: Some(1), ..draft("Kars hattı") };
    service.move_article(&ayse, Some(&article), Move::Save, Ok(saved), Mode::Editor).await.unwrap();
    assert_eq!(service.autosaved(ayse.user.id, id).await.unwrap(), None);
}

#[tokio::test]
async fn presence_lasts_a_minute_after_the_last_heartbeat() {
    let site = site().await;
    let ayse = member(&site, "ayse@example.com", Role::Editor).await;
    let mehmet = member(&site, "mehmet@example.com", Role::Editor).await;
    let service = &site.service;
    let Moved::Saved { id, .. } =
        service.move_article(&ayse, None, Move::Save, Ok(draft("Kars hattı")), Mode::Editor).await.unwrap()
    else {
        panic!()
    };
    assert!(service.heartbeat(&ayse, id).await.unwrap().is_empty(), "alone");
    let others = service.heartbeat(&mehmet, id).await.unwrap();
    assert_eq!(others.iter().map(|p| p.user_id).collect::<Vec<_>>(), [ayse.user.id]);
    site.clock.advance(SignedDuration::from_secs(manset_service::editing::PRESENCE_SECONDS + 1));
    assert!(service.heartbeat(&mehmet, id).await.unwrap().is_empty(), "Ayşe's tab closed a minute ago");
    service.heartbeat(&ayse, id).await.unwrap();
    service.leave(&ayse, id).await.unwrap();
    assert!(service.others_editing(mehmet.user.id, id).await.unwrap().is_empty(), "she said goodbye");
    assert_eq!(service.editing(&[id]).await.unwrap().len(), 1, "Mehmet is still there");
}
