//! The media library through the newsroom's real HTTP interface: uploads
//! checked by content and size, renditions, `srcset` on the public page,
//! alt text required before publishing.

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};
use jiff::Timestamp;
use manset_core::Role;

use crate::TestApp;
use crate::app::{HttpReply, PASSWORD, Served};

const BOUNDARY: &str = "----manset-test-boundary";

async fn newsroom() -> Served {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    for (email, role) in [("muhabir@example.com", Role::Contributor), ("editor@example.com", Role::Editor)] {
        app.store.create_user(email, "Foto Muhabiri", role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    app.serve().await
}

/// A photo-like JPEG: gradients, so it compresses like a picture.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, ((x ^ y) % 256) as u8])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A JPEG of noise: it compresses badly, like a big camera file.
fn noisy_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = RgbImage::from_fn(width, height, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        Rgb([seed as u8, (seed >> 8) as u8, (seed >> 16) as u8])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 95)
        .write_image(img.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn multipart(file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(site: &Served, cookie: &str, file_name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> HttpReply {
    let body = multipart(file_name, bytes, fields);
    let kind = format!("multipart/form-data; boundary={BOUNDARY}");
    site.send_bytes("POST", "/yonetim/medya", &[("Origin", &site.origin()), ("Cookie", cookie)], Some((&kind, &body)))
        .await
}

/// The media id from the redirect after an upload.
fn media_id(reply: &HttpReply) -> i64 {
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap();
    location.trim_start_matches("/yonetim/medya/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_uploaded_photo_gets_renditions_and_the_article_offers_them_in_srcset() {
    let site = newsroom().await;
    let reporter = site.session("muhabir@example.com").await;
    let original = jpeg(1200, 800);
    let fields = [("alt", "Bakü limanında yük gemisi"), ("caption", "Yeni rıhtım"), ("credit", "Fotoğraf: AA")];
    let id = media_id(&upload(&site, &reporter, "Liman Fotoğrafı.JPG", &original, &fields).await);
    let item = site.app.store.media(id).await.unwrap().unwrap();
    assert_eq!((item.width, item.height, item.mime.as_str()), (1200, 800, "image/jpeg"));
    assert_eq!(item.renditions.iter().map(|r| r.width).collect::<Vec<_>>(), [1200, 1024, 640, 320]);
    let main = item.main_path().to_owned();
    assert!(main.starts_with("/medya/") && main.contains("/liman-fotografi-") && main.ends_with("-1200.jpg"), "{main}");

    let file = site.get(&main, None).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("image/jpeg"));
    assert_eq!(file.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_ne!(file.bytes, original, "readers get a re-encoded copy, never the upload itself");
    let detail = site.get(&format!("/yonetim/medya/{id}?yuklendi=1"), Some(&reporter)).await;
    assert!(detail.body.contains("Görsel yüklendi"));
    assert!(detail.body.contains(&format!("![Bakü limanında yük gemisi]({main})")));

    // The same bytes again are the same image.
    let again = upload(&site, &reporter, "kopya.jpg", &original, &[]).await;
    assert_eq!(again.header("location"), Some(format!("/yonetim/medya/{id}?zaten=1").as_str()));

    // An editor uses it as the lead image and in the body.
    let editor = site.session("editor@example.com").await;
    let body = format!("Birinci paragraf.\n\n![Rıhtımın yakından görünüşü]({main})\n");
    let fields = [
        ("headline", "Liman genişliyor"),
        ("category", "Ekonomi"),
        ("body", body.as_str()),
        ("image_url", main.as_str()),
        ("action", "publish"),
    ];
    assert_eq!(site.post_form("/yonetim/haber/yeni", &editor, &fields).await.status, 303);
    let page = site.get("/haber/liman-genisliyor", None).await;
    let srcset = item.renditions.iter().map(|r| format!("{} {}w", r.path, r.width)).collect::<Vec<_>>().join(", ");
    assert!(
        page.body.contains(&format!("<img src=\"{main}\" srcset=\"{srcset}\" sizes=\"(min-width: 52rem) 48rem, 100vw\" alt=\"Bakü limanında yük gemisi\" width=\"1200\" height=\"800\"")),
        "the lead image, its alt text from the library:\n{}",
        page.body
    );
    assert!(page.body.contains("Yeni rıhtım <span class=\"lead-image__credit\">Fotoğraf: AA</span>"));
    let start = page.body.find("<div class=\"article__body\">").unwrap();
    let body_html = &page.body[start..start + page.body[start..].find("</div>").unwrap()];
    assert!(body_html.contains(&format!("srcset=\"{srcset}\"")), "{body_html}");
    assert!(page.body.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    // The home page's lead card shows the picture, with its renditions too.
    let home = site.get("/", None).await;
    assert!(
        home.body.contains(&format!("<a class=\"card__picture\" href=\"/haber/liman-genisliyor\" tabindex=\"-1\" aria-hidden=\"true\"><img src=\"{main}\" srcset=\"{srcset}\"")),
        "{}",
        home.body
    );
    let (log, _) = site.app.store.audit_entries(Some("media"), 10, 0).await.unwrap();
    assert_eq!(log[0].action, "media.upload");
}

#[tokio::test]
async fn a_disguised_file_and_an_oversized_one_are_refused_and_nothing_is_kept() {
    let site = newsroom().await;
    let reporter = site.session("muhabir@example.com").await;
    let php = upload(&site, &reporter, "foto.jpg", b"<?php system($_GET['c']); ?>", &[]).await;
    assert_eq!(php.status, 415);
    assert!(php.body.contains("Bu dosya bir JPEG, PNG, WebP ya da GIF görseli değil"), "{}", php.body);
    let svg =
        upload(&site, &reporter, "logo.png", b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", &[])
            .await;
    assert_eq!(svg.status, 415);

    site.app.store.set_setting("media.max_megabytes", "1").await.unwrap();
    let big = noisy_jpeg(1000, 800);
    assert!(big.len() > 1024 * 1024, "{} bytes", big.len());
    let refused = upload(&site, &reporter, "buyuk.jpg", &big, &[]).await;
    assert_eq!(refused.status, 413);
    assert!(refused.body.contains("Dosya çok büyük: en fazla 1 MB olabilir."), "{}", refused.body);
    let (items, total) = site.app.store.media_list(None, 10, 0).await.unwrap();
    assert_eq!((items.len(), total), (0, 0));
    let public = site.app.dir.path().join("data/media/public");
    assert!(!public.exists() || std::fs::read_dir(&public).unwrap().next().is_none(), "no file written");
}

#[tokio::test]
async fn publishing_needs_alt_text_for_a_library_image() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let id = media_id(&upload(&site, &editor, "isimsiz.jpg", &jpeg(400, 300), &[]).await);
    let main = site.app.store.media(id).await.unwrap().unwrap().main_path().to_owned();
    let library = site.get("/yonetim/medya", Some(&editor)).await;
    assert!(library.body.contains("Alternatif metin yok"));

    let mut fields = vec![
        ("headline", "Görselli haber"),
        ("category", "Gündem"),
        ("body", "Metin."),
        ("image_url", main.as_str()),
        ("action", "publish"),
    ];
    let refused = site.post_form("/yonetim/haber/yeni", &editor, &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("alternatif metni olmalı"), "{}", refused.body);
    assert!(refused.body.contains("Görselli haber"), "the form keeps what was typed");
    fields.retain(|(k, _)| *k != "action");
    fields.push(("action", "save"));
    let draft = site.post_form("/yonetim/haber/yeni", &editor, &fields).await;
    assert_eq!(draft.status, 303, "a draft may wait for its alt text");

    let described = site
        .post_form(
            &format!("/yonetim/medya/{id}"),
            &editor,
            &[("alt", "Kalabalık bir meydan"), ("caption", ""), ("credit", "")],
        )
        .await;
    assert_eq!(described.status, 303);
    fields.retain(|(k, _)| *k != "action");
    fields.push(("action", "publish"));
    fields.retain(|(k, _)| *k != "headline");
    fields.push(("headline", "Görselli haber iki"));
    assert_eq!(site.post_form("/yonetim/haber/yeni", &editor, &fields).await.status, 303);
    assert!(site.get("/haber/gorselli-haber-iki", None).await.body.contains("alt=\"Kalabalık bir meydan\""));
}

#[tokio::test]
async fn uploads_need_a_session_and_this_site() {
    let site = newsroom().await;
    let body = multipart("a.jpg", &jpeg(10, 10), &[]);
    let kind = format!("multipart/form-data; boundary={BOUNDARY}");
    let anonymous =
        site.send_bytes("POST", "/yonetim/medya", &[("Origin", &site.origin())], Some((&kind, &body))).await;
    assert_eq!(anonymous.status, 303);
    let reporter = site.session("muhabir@example.com").await;
    let forged = site
        .send_bytes(
            "POST",
            "/yonetim/medya",
            &[("Origin", "https://kotu.example"), ("Cookie", &reporter)],
            Some((&kind, &body)),
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(site.app.store.media_list(None, 10, 0).await.unwrap().1, 0);
    assert_eq!(site.get("/medya/../manset.db", None).await.status, 404);
}

/// The article id from the redirect after a save.
fn article_id(reply: &HttpReply) -> i64 {
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.header("location").unwrap();
    location.trim_start_matches("/yonetim/haber/").split('?').next().unwrap().parse().unwrap()
}

/// An article showing `image` as its lead image, saved by `cookie` with `action`.
async fn story_with(site: &Served, cookie: &str, headline: &str, image: &str, action: &str) -> HttpReply {
    let fields = [
        ("headline", headline),
        ("category", "Gündem"),
        ("body", "Metin."),
        ("image_url", image),
        ("image_alt", "Haberin kendi açıklaması"),
        ("action", action),
    ];
    site.post_form("/yonetim/haber/yeni", cookie, &fields).await
}

/// Who may change an image's alt text, caption and credit: the rights over
/// the articles that show it, for every role and every kind of image.
#[tokio::test]
async fn an_images_text_is_changed_only_by_those_who_may_change_every_article_showing_it() {
    let app = TestApp::new().await;
    let hash = manset_service::accounts::hash_password(PASSWORD).unwrap();
    let members = [
        ("muhabir@example.com", Role::Contributor),
        ("stajyer@example.com", Role::Contributor),
        ("yazar@example.com", Role::Author),
        ("editor@example.com", Role::Editor),
        ("yonetici@example.com", Role::Admin),
    ];
    for (email, role) in members {
        app.store.create_user(email, email, role, &hash, Timestamp::now()).await.unwrap().unwrap();
    }
    let site = app.serve().await;
    let mut cookies = std::collections::HashMap::new();
    for (email, _) in members {
        cookies.insert(email, site.session(email).await);
    }
    let image = |n: u32| jpeg(300 + n, 200);
    let upload_as = |email: &'static str, n: u32| {
        let (site, cookie) = (&site, cookies[email].clone());
        async move {
            let id = media_id(&upload(site, &cookie, &format!("{n}.jpg"), &image(n), &[("alt", "Eski")]).await);
            (id, site.app.store.media(id).await.unwrap().unwrap().main_path().to_owned())
        }
    };
    let reporter = cookies["muhabir@example.com"].clone();
    let editor = cookies["editor@example.com"].clone();
    // The reporter's photo, shown nowhere yet.
    let (unused, _) = upload_as("muhabir@example.com", 1).await;
    // The reporter's photo in the reporter's own draft.
    let (in_draft, path) = upload_as("muhabir@example.com", 2).await;
    article_id(&story_with(&site, &reporter, "Muhabirin taslağı", &path, "save").await);
    // The reporter's photo in the reporter's story, which an editor published.
    let (in_published, path) = upload_as("muhabir@example.com", 3).await;
    let id = article_id(&story_with(&site, &reporter, "Muhabirin haberi", &path, "save").await);
    let publish = [
        ("headline", "Muhabirin haberi"),
        ("category", "Gündem"),
        ("body", "Metin."),
        ("image_url", path.as_str()),
        ("image_alt", "Haberin kendi açıklaması"),
        ("action", "publish"),
    ];
    assert_eq!(site.post_form(&format!("/yonetim/haber/{id}"), &editor, &publish).await.status, 303);
    // The editor's photo on the editor's published story.
    let (editors, path) = upload_as("editor@example.com", 4).await;
    article_id(&story_with(&site, &editor, "Editörün haberi", &path, "publish").await);
    // The author's photo on the author's own published story.
    let (authors, path) = upload_as("yazar@example.com", 5).await;
    article_id(&story_with(&site, &cookies["yazar@example.com"], "Yazarın haberi", &path, "publish").await);

    // image → who may change its text, in the order of `members`.
    let matrix = [
        (unused, [true, false, false, true, true]),
        (in_draft, [true, false, false, true, true]),
        (in_published, [false, false, false, true, true]),
        (editors, [false, false, false, true, true]),
        (authors, [false, false, true, true, true]),
    ];
    for (image, allowed) in matrix {
        for ((email, role), may) in members.iter().zip(allowed) {
            let caption = format!("{email} yazdı");
            let fields = [("alt", "Yeni açıklama"), ("caption", caption.as_str()), ("credit", "AA")];
            let reply = site.post_form(&format!("/yonetim/medya/{image}"), &cookies[email], &fields).await;
            let stored = site.app.store.media(image).await.unwrap().unwrap();
            if may {
                assert_eq!(reply.status, 303, "{role:?} changes image {image}: {}", reply.body);
                assert_eq!(stored.caption.as_deref(), Some(caption.as_str()));
            } else {
                assert_eq!(reply.status, 403, "{role:?} may not change image {image}");
                assert_ne!(stored.caption.as_deref(), Some(caption.as_str()), "nothing changed");
            }
        }
        let anonymous = site
            .send(
                "POST",
                &format!("/yonetim/medya/{image}"),
                &[("Origin", &site.origin())],
                Some("alt=&caption=x&credit=x"),
            )
            .await;
        assert_eq!(anonymous.status, 303, "a reader is sent to the login form");
    }

    // Nobody, an editor included, empties the alt text of a picture readers see.
    let emptied = site
        .post_form(&format!("/yonetim/medya/{editors}"), &editor, &[("alt", " "), ("caption", ""), ("credit", "")])
        .await;
    assert_eq!(emptied.status, 422);
    assert!(emptied.body.contains("alt metni boş bırakılamaz"), "{}", emptied.body);
    assert_eq!(site.app.store.media(editors).await.unwrap().unwrap().alt, "Yeni açıklama");
    // Shown nowhere published, it may wait for one.
    let unused_path = format!("/yonetim/medya/{unused}");
    let unused_empty = site.post_form(&unused_path, &editor, &[("alt", ""), ("caption", ""), ("credit", "")]).await;
    assert_eq!(unused_empty.status, 303);
}

/// A 30 MB alt text was once stored and then sent in every newsroom page
/// listing the image.
#[tokio::test]
async fn an_images_text_fields_have_limits_that_the_answer_names() {
    let site = newsroom().await;
    let editor = site.session("editor@example.com").await;
    let huge = "ş".repeat(15 * 1024 * 1024);
    let refused = upload(&site, &editor, "a.jpg", &jpeg(50, 50), &[("alt", &huge)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Alt metin en çok 500 karakter olabilir"), "{}", &refused.body[..2000]);
    assert!(refused.body.len() < 100_000, "the answer does not carry the field back");
    assert_eq!(site.app.store.media_list(None, 10, 0).await.unwrap().1, 0, "nothing stored");

    let id = media_id(&upload(&site, &editor, "a.jpg", &jpeg(50, 50), &[("alt", "Kısa")]).await);
    for (field, max, label) in
        [("alt", 500, "Alt metin"), ("caption", 1000, "Altyazı"), ("credit", 200, "Görsel kaynağı")]
    {
        let mut fields = vec![("alt", "Kısa".to_owned()), ("caption", String::new()), ("credit", String::new())];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, "x".repeat(max + 1)));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = site.post_form(&format!("/yonetim/medya/{id}"), &editor, &fields).await;
        assert_eq!(reply.status, 422, "{field}");
        assert!(reply.body.contains(&format!("{label} en çok {max} karakter olabilir")), "{field}: {}", reply.body);
        let exact: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, v.chars().take(max).collect())).collect();
        let exact: Vec<(&str, &str)> = exact.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(site.post_form(&format!("/yonetim/medya/{id}"), &editor, &exact).await.status, 303, "{field}");
    }
}
