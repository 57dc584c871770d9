//! Every post and page of WordPress's theme unit test data through `convert`
//! and the article renderer; and the DOMPurify XSS vectors as post content.

use std::io::BufReader;

use manset_import::wp_content::{ContentReport, commonmark_safe, convert};
use manset_import::wxr::{Item, Record, WxrReader};
use manset_text::markdown::to_safe_html;

/// The posts and pages of the theme unit test data.
fn theme_posts() -> Option<Vec<Item>> {
    let path = manset_testkit::shared_dir()?.join("testdata/wordpress/theme-unit-test-data.xml");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let items = WxrReader::new(BufReader::new(file))
        .filter_map(|record| match record.unwrap() {
            Record::Item(item) if matches!(item.post_type.as_str(), "post" | "page") => Some(*item),
            _ => None,
        })
        .collect();
    Some(items)
}

fn post<'a>(posts: &'a [Item], title: &str) -> &'a Item {
    posts.iter().find(|p| p.title == title).unwrap_or_else(|| panic!("no post titled {title:?}"))
}

/// `html` without its `<pre>` elements (sanitized HTML: no `<pre` in attributes).
fn without_pre(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("</pre>").map_or("", |end| &rest[start + end + 6..]);
    }
    out.push_str(rest);
    out
}

/// The deepest nesting of `<ul>`/`<ol>` in sanitized HTML.
fn list_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (i, _) in html.match_indices('<') {
        let tag = &html[i..];
        if tag.starts_with("<ul") || tag.starts_with("<ol") {
            depth += 1;
            deepest = deepest.max(depth);
        } else if tag.starts_with("</ul>") || tag.starts_with("</ol>") {
            depth = depth.saturating_sub(1);
        }
    }
    deepest
}

#[test]
fn every_theme_post_renders_as_the_html_we_made() {
    let Some(posts) = theme_posts() else { return };
    // grep: 79 items of type post or page.
    assert_eq!(posts.len(), 79);
    for post in &posts {
        let converted = convert(&post.content);
        let body = &converted.body;
        let rendered = to_safe_html(body);
        let title = &post.title;
        assert!(!body.contains("[caption") && !body.contains("[/caption]"), "{title}: {body}");
        assert!(!body.contains("[gallery") && !body.contains("<!-- wp:") && !body.contains("<!--"), "{title}: {body}");
        // CommonMark took the body as one HTML block: rendering changed nothing
        // but what the sanitizer always writes differently (`&#10;` in `<pre>`).
        assert_eq!(commonmark_safe(&rendered), *body, "{title}");
        // …and so it made no code out of indentation, no emphasis out of `*`.
        let source_has_code = post.content.contains("<code") || post.content.contains("<pre");
        assert!(source_has_code || !rendered.contains("<code>"), "{title}: {rendered}");
        assert!(!body.lines().any(|l| l.trim().is_empty()), "{title}: a blank line");
        let outside_pre = without_pre(body);
        assert!(!outside_pre.lines().any(|l| l.starts_with("    ") || l.starts_with('\t')), "{title}: indented");
        assert!(!rendered.contains("<h1"), "{title}");
    }
}

#[test]
fn classic_posts_get_their_paragraphs() {
    let Some(posts) = theme_posts() else { return };
    // Blank-line separated chunks of the source that are not comments
    // (counted with Python: `re.split(r'\n\s*\n', …)` after removing `<!--…-->`).
    for (title, paragraphs) in [
        ("Lorem Ipsum", 19),
        ("Post Format: Standard", 7),
        ("Post Format: Chat", 63),
        ("Template: More Tag", 3),
        ("Template: Paginated", 3),
        ("Post Format: Audio", 4),
        ("Post Format: Video (WordPress.tv)", 2),
    ] {
        let rendered = to_safe_html(&convert(&post(&posts, title).content).body);
        assert_eq!(rendered.matches("<p>").count(), paragraphs, "{title}: {rendered}");
        assert_eq!(rendered.matches("</p>").count(), paragraphs, "{title}");
    }
    let audio = to_safe_html(&convert(&post(&posts, "Post Format: Audio").content).body);
    assert!(audio.contains("<p><a href=\"https://wpthemetestdata.files.wordpress.com/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3\" rel=\"noopener noreferrer\">"), "{audio}");
    let video = to_safe_html(&convert(&post(&posts, "Post Format: Video (WordPress.tv)").content).body);
    assert!(video.starts_with("<p><a href=\"https://wordpress.tv/2009/03/16/anatomy-of-a-wordpress-theme-exploring-the-files-behind-your-theme/\""), "{video}");
}

#[test]
fn nested_lists_stay_nested() {
    let Some(posts) = theme_posts() else { return };
    let lists = post(&posts, "Edge Case: Nested And Mixed Lists");
    let rendered = to_safe_html(&convert(&lists.content).body);
    assert_eq!(rendered.matches("<ul>").count(), lists.content.matches("<ul>").count());
    assert_eq!(rendered.matches("<ol>").count(), lists.content.matches("<ol>").count());
    assert_eq!(list_depth(&rendered), 3);
    assert!(rendered.contains("<li>ordered item\n<ul>\n<li><strong>unordered</strong></li>"), "{rendered}");
    assert!(!rendered.contains("<p><li") && !rendered.contains("<br>\n<ul>"), "{rendered}");

    let markup = to_safe_html(&convert(&post(&posts, "Markup: HTML Tags and Formatting").content).body);
    assert_eq!(list_depth(&markup), 3);
    assert!(markup.contains("<ol start=\"8\">"), "{markup}");
    assert!(markup.contains("<h2>Header one</h2>"), "an <h1> in a post moves below the headline");
    assert!(markup.contains("<blockquote>\n<p>Stay hungry. Stay foolish.</p>\n</blockquote>"), "{markup}");
    assert!(markup.contains("<dl>\n<dt>Definition List Title</dt>\n<dd>Definition list division.</dd>"), "{markup}");
}

#[test]
fn shortcodes_and_blocks_of_the_theme_data_are_reported() {
    let Some(posts) = theme_posts() else { return };
    let mut total = ContentReport::default();
    let mut block_posts = 0;
    for post in &posts {
        let report = convert(&post.content).report;
        block_posts += usize::from(report.block_comments > 0);
        total.block_comments += report.block_comments;
        for (name, n) in report.shortcodes_converted {
            *total.shortcodes_converted.entry(name).or_default() += n;
        }
        for (name, n) in report.shortcodes_dropped {
            *total.shortcodes_dropped.entry(name).or_default() += n;
        }
        for (name, n) in report.shortcodes_unwrapped {
            *total.shortcodes_unwrapped.entry(name).or_default() += n;
        }
    }
    // Python over post/page content: 12 `[caption`, 12 `[gallery`, 1 `[audio`,
    // and `[simple boat]`, which is prose.
    assert_eq!(total.shortcodes_converted.get("caption"), Some(&12));
    assert_eq!(total.shortcodes_converted.get("audio"), Some(&1));
    assert_eq!(total.shortcodes_dropped.get("gallery"), Some(&12));
    assert!(total.shortcodes_unwrapped.is_empty(), "{:?}", total.shortcodes_unwrapped);
    // Python: 19 posts and pages hold `<!-- wp:`.
    assert_eq!(block_posts, 19);
    let standard = to_safe_html(&convert(&post(&posts, "Post Format: Standard").content).body);
    assert!(standard.contains("coracles [simple boat]."), "{standard}");

    let linked = to_safe_html(&convert(&post(&posts, "Post Format: Image (Linked)").content).body);
    assert!(
        linked.starts_with(
            "<figure><a href=\"https://wpthemetestdata.files.wordpress.com/2013/09/dsc20040724_152504_532.jpg\""
        ),
        "{linked}"
    );
    assert!(linked.contains("<figcaption>Chunk of resinous blackboy husk, Clarkson, Western Australia. This burns like a spinifex log.</figcaption></figure>"), "{linked}");
}

#[test]
fn xss_vectors_as_post_content_come_out_inert() {
    let Some(payloads) = manset_testkit::xss_payloads() else { return };
    assert_eq!(payloads.len(), 223);
    for payload in &payloads {
        let body = convert(payload).body;
        let rendered = to_safe_html(&body);
        for html in [&body, &rendered] {
            // `executable_content` flags every `<img>` (comments have none);
            // article bodies may show images, so only their attributes count.
            let found: Vec<String> = manset_testkit::executable_content(html)
                .into_iter()
                .filter(|f| !f.starts_with("element <img>"))
                .collect();
            assert!(found.is_empty(), "payload {payload:?} gave {html:?}: {found:?}");
        }
        assert_eq!(commonmark_safe(&rendered), body, "payload {payload:?}");
    }
}
