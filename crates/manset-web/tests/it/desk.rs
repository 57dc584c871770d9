//! The desk at work: the text of every story searched with the Turkish
//! analysis, who wrote and who last changed each, sorting, and one action
//! on many stories, each moved by its own permissions.

use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{PASSWORD, Served};
use crate::newsroom_lists::{input, listed};

async fn newsroom() -> Served {
    let app = TestApp::with_manual_clock().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, name, role) in
        [("ayse@example.com", "Ayşe Yılmaz", Role::Editor), ("mehmet@example.com", "Mehmet Kaya", Role::Author)]
    {
        app.store.create_user(email, name, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

/// Saves a story through the editor with `action`; its id.
async fn story(site: &Served, cookie: &str, headline: &str, body: &str, action: &str) -> i64 {
    let fields =
        [("headline", headline), ("body", body), ("category", "Gündem"), ("author", "Muhabir Ali"), ("action", action)];
    let reply = site.post_form("/yonetim/haber/yeni", cookie, &fields).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap();
    location.trim_start_matches("/yonetim/haber/").split('?').next().unwrap().parse().unwrap()
}

fn status_of(body: &str, headline: &str) -> String {
    let table = &body[body.find("<tbody>").unwrap()..];
    let row = &table[table.find(&format!(">{headline}</a>")).unwrap()..];
    let badge = &row[row.find("badge badge--").unwrap() + "badge badge--".len()..];
    badge[..badge.find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_desk_finds_words_in_the_text_of_drafts_that_readers_never_find() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    story(&site, &ayse, "Liman haberi", "Gemilerde kükürt ölçümleri yapıldı.", "save").await;
    story(&site, &ayse, "Yayımlanan haber", "Limanda bir ölçüm daha yapıldı.", "publish").await;
    story(&site, &ayse, "Başka haber", "Hiç ilgisi yok.", "save").await;

    // In capitals, found in the body of a draft under its suffixes.
    let desk = site.get("/yonetim?ara=%C3%96L%C3%87%C3%9CM", Some(&ayse)).await;
    assert_eq!(desk.status, 200);
    let mut found = listed(&desk.body);
    found.sort();
    assert_eq!(found, ["Liman haberi", "Yayımlanan haber"], "{}", desk.body);
    let drafts = site.get("/yonetim?ara=%C3%B6l%C3%A7%C3%BCm&durum=draft", Some(&ayse)).await;
    assert_eq!(listed(&drafts.body), ["Liman haberi"]);

    let readers = site.get("/ara?q=%C3%B6l%C3%A7%C3%BCm", None).await;
    assert!(readers.body.contains("Yayımlanan haber"));
    assert!(!readers.body.contains("Liman haberi"), "a draft never reaches readers' search");
}

#[tokio::test]
async fn each_row_says_who_wrote_it_and_who_changed_it_last_and_the_list_sorts() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let mehmet = site.session("mehmet@example.com").await;
    let minute = jiff::SignedDuration::from_mins(1);
    let first = story(&site, &ayse, "İlk haber", "Metin.", "save").await;
    site.app.clock.advance(minute);
    story(&site, &ayse, "İkinci haber", "Metin.", "save").await;
    site.app.clock.advance(minute);
    story(&site, &mehmet, "Üçüncü haber", "Metin.", "save").await;
    site.app.clock.advance(minute);

    let desk = site.get("/yonetim", Some(&ayse)).await;
    assert_eq!(listed(&desk.body), ["Üçüncü haber", "İkinci haber", "İlk haber"], "newest first");
    assert!(desk.body.contains("<td>Muhabir Ali</td>"), "the byline");
    assert!(desk.body.contains("<span class=\"admin-table__who\">Mehmet Kaya</span>"), "who saved last");
    let oldest = site.get("/yonetim?sirala=eski", Some(&ayse)).await;
    assert_eq!(listed(&oldest.body), ["İlk haber", "İkinci haber", "Üçüncü haber"]);

    // Ayşe saves the first one again: it is the last changed.
    let fields = [("headline", "İlk haber"), ("body", "Yeni metin."), ("category", "Gündem"), ("action", "save")];
    assert_eq!(site.post_form(&format!("/yonetim/haber/{first}"), &ayse, &fields).await.status, 303);
    let changed = site.get("/yonetim?sirala=degisiklik", Some(&ayse)).await;
    assert_eq!(listed(&changed.body)[0], "İlk haber");
    assert_eq!(site.get("/yonetim?sirala=rastgele", Some(&ayse)).await.status, 404);
}

#[tokio::test]
async fn one_action_moves_every_ticked_story_and_says_how_many() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let a = story(&site, &ayse, "Birinci taslak", "Metin.", "save").await.to_string();
    let b = story(&site, &ayse, "İkinci taslak", "Metin.", "save").await.to_string();
    let live = story(&site, &ayse, "Yayındaki haber", "Metin.", "publish").await.to_string();
    let batch = |action: &'static str, ids: Vec<String>, extra: Vec<(&'static str, String)>| {
        let mut fields: Vec<(String, String)> = vec![("action".into(), action.into())];
        fields.extend(ids.into_iter().map(|id| ("secili".to_owned(), id)));
        fields.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        fields
    };
    let post = |fields: Vec<(String, String)>| {
        let site = &site;
        let ayse = ayse.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            site.post_form("/yonetim/toplu", &ayse, &pairs).await
        }
    };

    let sent = post(batch("submit", vec![a.clone(), b.clone()], vec![("durum", "draft".into())])).await;
    assert_eq!(sent.status, 303);
    let back = sent.header("location").unwrap().to_owned();
    assert!(back.starts_with("/yonetim?durum=draft&"), "back to the list it came from: {back}");
    let list = site.get(&back, Some(&ayse)).await;
    assert!(list.body.contains("2 haber onaya gönderildi."), "{}", list.body);
    let desk = site.get("/yonetim", Some(&ayse)).await;
    assert_eq!(status_of(&desk.body, "Birinci taslak"), "review");

    let filed = post(batch("category", vec![a.clone(), live.clone()], vec![("kategori_adi", "Ekonomi".into())])).await;
    assert!(
        site.get(filed.header("location").unwrap(), Some(&ayse)).await.body.contains("2 haberin kategorisi değişti.")
    );
    let reader = site.get("/haber/yayindaki-haber", None).await;
    assert!(reader.body.contains("Ekonomi"), "readers see the new category");
    assert!(!reader.body.contains("Güncellenme"), "filing is no update readers are told of");

    let scheduled = post(batch("schedule", vec![b.clone()], vec![("zaman", "2099-01-05T09:30".into())])).await;
    let list = site.get(scheduled.header("location").unwrap(), Some(&ayse)).await;
    assert!(list.body.contains("1 haber zamanlandı."));
    assert_eq!(status_of(&list.body, "İkinci taslak"), "scheduled");
    let past = post(batch("schedule", vec![a.clone()], vec![("zaman", "2001-01-05T09:30".into())])).await;
    assert!(site.get(past.header("location").unwrap(), Some(&ayse)).await.body.contains("ileri bir tarih"));
    let none = post(batch("trash", vec![], vec![])).await;
    assert!(site.get(none.header("location").unwrap(), Some(&ayse)).await.body.contains("en az bir haber seçin"));

    // Taking stories away asks first, with how many.
    let asked = post(batch("trash", vec![a.clone(), live.clone()], vec![])).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("2 haber çöpe atılacak"), "{}", asked.body);
    assert_eq!(site.get("/haber/yayindaki-haber", None).await.status, 200, "nothing happened yet");
    let trashed = post(batch("trash", vec![a.clone(), live.clone()], vec![("confirm", "1".into())])).await;
    assert!(site.get(trashed.header("location").unwrap(), Some(&ayse)).await.body.contains("2 haber çöpe atıldı."));
    assert_eq!(site.get("/haber/yayindaki-haber", None).await.status, 404, "gone for readers");
    assert!(!listed(&site.get("/yonetim", Some(&ayse)).await.body).contains(&"Yayındaki haber".to_owned()));
    let bin = site.get("/yonetim?durum=trash", Some(&ayse)).await;
    assert_eq!(listed(&bin.body), ["Yayındaki haber", "Birinci taslak"]);

    let recovered = post(batch("recover", vec![live.clone()], vec![])).await;
    assert!(
        site.get(recovered.header("location").unwrap(), Some(&ayse)).await.body.contains("1 haber çöpten çıkarıldı")
    );
    assert_eq!(status_of(&site.get("/yonetim", Some(&ayse)).await.body, "Yayındaki haber"), "draft");
    assert_eq!(site.get("/haber/yayindaki-haber", None).await.status, 404, "a draft now, not back on the site");

    let (log, _) = site.app.store.audit_entries(None, 50, 0).await.unwrap();
    let codes: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "article.trash").count(), 2, "{codes:?}");
}

#[tokio::test]
async fn a_desk_action_moves_only_what_the_member_may_move() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let mehmet = site.session("mehmet@example.com").await;
    let hers = story(&site, &ayse, "Ayşe’nin haberi", "Metin.", "publish").await.to_string();
    let his = story(&site, &mehmet, "Mehmet’in taslağı", "Metin.", "save").await.to_string();
    let fields = [("action", "trash"), ("secili", hers.as_str()), ("secili", his.as_str()), ("confirm", "1")];
    let reply = site.post_form("/yonetim/toplu", &mehmet, &fields).await;
    let list = site.get(reply.header("location").unwrap(), Some(&mehmet)).await;
    assert!(list.body.contains("1 haber çöpe atıldı. 1 haber olduğu gibi kaldı"), "{}", list.body);
    assert_eq!(site.get("/haber/aysenin-haberi", None).await.status, 200, "an author cannot take an editor's story");

    let ids: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let mut many: Vec<(&str, &str)> = ids.iter().map(|id| ("secili", id.as_str())).collect();
    many.push(("action", "submit"));
    assert_eq!(site.post_form("/yonetim/toplu", &ayse, &many).await.status, 422, "at most a hundred at once");
    let unknown = site.post_form("/yonetim/toplu", &ayse, &[("action", "delete"), ("secili", &hers)]).await;
    assert_eq!(unknown.status, 303, "an action there is none of is refused with a word");
    assert_eq!(site.get("/haber/aysenin-haberi", None).await.status, 200);
}

/// Drafts change no page, so the change log once left them out: a draft
/// imported from the command line, or saved on another app server, never
/// reached this server's index.
#[tokio::test]
async fn a_draft_written_elsewhere_is_found_once_the_index_catches_up() {
    let site = newsroom().await;
    let ayse = site.session("ayse@example.com").await;
    let now = site.app.clock.now();
    let mut input = input("Başka sunucudan taslak", "Gündem", "Muhabir Ali", manset_core::Status::Draft, now);
    input.body = "Zeytinyağı üreticileri toplandı.".into();
    let key = Some("markdown:/elsewhere/taslak.md");
    site.app.store.save_article(input.clone(), key, now).await.unwrap();
    site.app.state.catch_up_search().await.unwrap();
    let desk = site.get("/yonetim?ara=zeytinya%C4%9F%C4%B1", Some(&ayse)).await;
    assert_eq!(listed(&desk.body), ["Başka sunucudan taslak"]);

    input.status = manset_core::Status::Trash;
    site.app.store.save_article(input, key, now).await.unwrap();
    site.app.state.catch_up_search().await.unwrap();
    assert!(listed(&site.get("/yonetim?ara=zeytinya%C4%9F%C4%B1", Some(&ayse)).await.body).is_empty());
}
