//! The WXR reader against every WordPress export in the shared test data.
//!
//! The expected numbers were counted outside Rust, per file:
//! records with `grep -o '<wp:author>' FILE | wc -l` (likewise `<wp:category>`,
//! `<wp:tag>`, `<wp:term>`, `<item>`, `<wp:comment>`), post types and statuses
//! with `grep -o '<wp:post_type>[^/]*</wp:post_type>' FILE | sed …CDATA… | sort | uniq -c`,
//! all cross-checked with Python's `xml.etree` (direct children of `<channel>`,
//! `<category>` of items with a `nicename`), which also counted meta, item terms
//! and threaded comments. Where grep and etree disagree, the comment says why.

use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::time::Instant;

use manset_import::wxr::{Author, Category, Item, Record, Site, Tag, Term, WxrError, WxrReader};

fn wordpress_dir() -> Option<PathBuf> {
    Some(manset_testkit::shared_dir()?.join("testdata/wordpress"))
}

/// Everything one export holds.
#[derive(Default)]
struct Export {
    site: Option<Site>,
    sites: usize,
    authors: Vec<Author>,
    categories: Vec<Category>,
    tags: Vec<Tag>,
    terms: Vec<Term>,
    items: Vec<Item>,
}

impl Export {
    fn read(name: &str) -> Option<Result<Export, (Export, WxrError)>> {
        let path = wordpress_dir()?.join(name);
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let mut export = Export::default();
        let mut reader = WxrReader::new(BufReader::new(file));
        loop {
            match reader.next_record() {
                Ok(Some(Record::Site(site))) => {
                    export.sites += 1;
                    export.site = Some(site);
                }
                Ok(Some(Record::Author(author))) => export.authors.push(author),
                Ok(Some(Record::Category(category))) => export.categories.push(category),
                Ok(Some(Record::Tag(tag))) => export.tags.push(tag),
                Ok(Some(Record::Term(term))) => export.terms.push(term),
                Ok(Some(Record::Item(item))) => export.items.push(*item),
                Ok(None) => break,
                Err(error) => return Some(Err((export, error))),
            }
        }
        assert_eq!(export.sites, 1, "{name}: the site comes exactly once");
        Some(Ok(export))
    }

    fn well_formed(name: &str) -> Option<Export> {
        Some(Export::read(name)?.unwrap_or_else(|(_, e)| panic!("{name}: {e}")))
    }

    fn site(&self) -> &Site {
        self.site.as_ref().unwrap()
    }

    fn item(&self, title: &str) -> &Item {
        self.items.iter().find(|i| i.title == title).unwrap_or_else(|| panic!("no item titled {title:?}"))
    }

    fn by_type(&self) -> BTreeMap<&str, usize> {
        count(self.items.iter().map(|i| i.post_type.as_str()))
    }

    fn by_status(&self) -> BTreeMap<&str, usize> {
        count(self.items.iter().map(|i| i.status.as_str()))
    }

    fn comments(&self) -> usize {
        self.items.iter().map(|i| i.comments.len()).sum()
    }

    fn postmeta(&self) -> usize {
        self.items.iter().map(|i| i.meta.len()).sum()
    }

    fn item_terms(&self) -> usize {
        self.items.iter().map(|i| i.terms.len()).sum()
    }

    /// Authors, categories, tags, terms, items, comments.
    fn counts(&self) -> [usize; 6] {
        [
            self.authors.len(),
            self.categories.len(),
            self.tags.len(),
            self.terms.len(),
            self.items.len(),
            self.comments(),
        ]
    }
}

fn count<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut map = BTreeMap::new();
    for value in values {
        *map.entry(value).or_default() += 1;
    }
    map
}

fn map<const N: usize>(pairs: [(&'static str, usize); N]) -> BTreeMap<&'static str, usize> {
    pairs.into_iter().collect()
}

#[test]
fn every_file_in_the_test_data_is_covered() {
    let Some(dir) = wordpress_dir() else { return };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    names.sort();
    // Each of these has its own test below; a new file needs one too.
    assert_eq!(
        names,
        [
            "authors-multiline.xml",
            "crazy-cdata.xml",
            "e2e_fixtures_wxr-comprehensive.xml",
            "malformed-simple.xml",
            "multiple-cdata.xml",
            "slashes.xml",
            "small-export.xml",
            "term-meta.xml",
            "theme-unit-test-data.xml",
            "valid-wxr-1.0.xml",
            "valid-wxr-1.1.xml",
            "wxr-simple.xml",
        ]
    );
}

#[test]
fn theme_unit_test_data_reads_whole() {
    let Some(export) = Export::well_formed("theme-unit-test-data.xml") else { return };
    // grep counts: 2 authors, 68 categories, 110 tags, 7 terms, 186 items, 33 comments.
    assert_eq!(export.counts(), [2, 68, 110, 7, 186, 33]);
    assert_eq!(export.by_type(), map([("attachment", 37), ("nav_menu_item", 70), ("page", 21), ("post", 58)]));
    assert_eq!(export.by_status(), map([("draft", 1), ("future", 1), ("inherit", 37), ("publish", 147)]));
    // etree: 737 postmeta, 446 item terms with a nicename.
    assert_eq!(export.postmeta(), 737);
    assert_eq!(export.item_terms(), 446);
    // This WordPress.com export uses https:// namespace URIs.
    let site = export.site();
    assert_eq!(site.title, "Theme Unit Test Data");
    assert_eq!(site.wxr_version, "1.2");
    assert_eq!(site.base_blog_url, "https://wpthemetestdata.wordpress.com");
    assert_eq!(site.language, "en");

    // Authors without `wp:author_id`.
    assert_eq!(export.authors[1].login, "themereviewteam");
    assert_eq!(export.authors[1].id, 0);
    assert_eq!((export.authors[1].first_name.as_str(), export.authors[1].last_name.as_str()), ("Theme", "Review"));

    // Titles with entities, quotes, `<` and markup.
    export.item("Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>");
    export.item("Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>");
    export.item("Ελληνικά-Greek");
    // nav_menu_items and one post have no title (etree: 48 items with an empty title).
    assert_eq!(export.items.iter().filter(|i| i.title.is_empty()).count(), 48);

    // Nested lists arrive as written.
    let lists = export.item("Edge Case: Nested And Mixed Lists");
    assert!(
        lists
            .content
            .contains("<ol>\n\t<li>ordered item</li>\n\t<li>ordered item\n<ul>\n\t<li><strong>unordered</strong></li>")
    );
    assert_eq!(lists.content.matches("<ul>").count(), 8);

    // Threaded comments: "Template: Comments" holds a chain 904 → 905 → … → 915.
    let thread = export.item("Template: Comments");
    let parent_of = |id: u64| thread.comments.iter().find(|c| c.id == id).map(|c| c.parent);
    assert_eq!(parent_of(904), Some(0));
    assert_eq!(parent_of(905), Some(904));
    assert_eq!(parent_of(915), Some(914));
    let depth_one = thread.comments.iter().find(|c| c.id == 904).unwrap();
    assert_eq!(depth_one.author, "John Κώστας Doe Τάδε");
    assert_eq!(depth_one.content, "Comment Depth 01");
    // etree: 10 comments have a parent; 3 wait for approval; 2 pingbacks, 2 trackbacks.
    let comments: Vec<_> = export.items.iter().flat_map(|i| &i.comments).collect();
    assert_eq!(comments.iter().filter(|c| c.parent != 0).count(), 10);
    assert_eq!(count(comments.iter().map(|c| c.approved.as_str())), map([("0", 3), ("1", 30)]));
    assert_eq!(comments.iter().filter(|c| c.comment_type == "pingback").count(), 2);
    assert_eq!(comments.iter().filter(|c| c.comment_type == "trackback").count(), 2);

    let sticky: Vec<&str> = export.items.iter().filter(|i| i.is_sticky).map(|i| i.title.as_str()).collect();
    assert_eq!(sticky, ["Template: Sticky"]);
    assert_eq!(export.item("Template: Password Protected (the password is \"enter\")").password, "enter");
    let excerpt = &export.item("Template: Excerpt (Defined)").excerpt;
    assert!(excerpt.starts_with('\n'), "an excerpt is kept exactly");
    assert!(excerpt.trim_start().starts_with("This is a user-defined post excerpt. It <em>should</em>"));
    assert_eq!(
        export.item("Horizontal Featured Image").attachment_url,
        "https://wpthemetestdata.files.wordpress.com/2013/03/featured-image-horizontal.jpg"
    );
    let scheduled = export.item("Scheduled");
    assert_eq!(scheduled.status, "future");

    // `wp:term`: one category and six menus; `<wp:term_parent/>` may be missing.
    assert_eq!(count(export.terms.iter().map(|t| t.taxonomy.as_str())), map([("category", 1), ("nav_menu", 6)]));
    assert_eq!(export.terms[0].slug, "6-1");
    assert_eq!(export.terms[0].name, "6.1");
    // `<wp:category_parent/>` as an empty element is an empty parent.
    let aciform = export.categories.iter().find(|c| c.slug == "aciform").unwrap();
    assert_eq!((aciform.id, aciform.parent.as_str()), (2835016, ""));
    // The export holds the same 18 menu items twice (etree: 168 distinct ids).
    let mut ids: Vec<u64> = export.items.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 168);
}

#[test]
fn small_export_reads_whole() {
    let Some(export) = Export::well_formed("small-export.xml") else { return };
    assert_eq!(export.counts(), [3, 30, 3, 0, 11, 1]);
    assert_eq!(export.by_type(), map([("page", 5), ("post", 6)]));
    assert_eq!(export.by_status(), map([("draft", 1), ("private", 1), ("publish", 9)]));
    assert_eq!(export.postmeta(), 17);
    assert_eq!(export.item_terms(), 36);
    let editor = &export.authors[1];
    assert_eq!(
        (editor.id, editor.login.as_str(), editor.display_name.as_str(), editor.first_name.as_str()),
        (2, "editor", "editor", "FirstName")
    );
    let child = export.categories.iter().find(|c| c.slug == "foo-bar").unwrap();
    assert_eq!((child.id, child.parent.as_str(), child.name.as_str()), (5, "bar", "Foo"));
    assert_eq!(child.description, "The child foo category");
    assert!(export.categories.iter().any(|c| c.name == "远征手记"));
    assert_eq!(export.item("Many Categories").terms.len(), 27, "etree");
}

#[test]
fn valid_wxr_1_0_reads_whole() {
    let Some(export) = Export::well_formed("valid-wxr-1.0.xml") else { return };
    // WXR 1.0 has no authors and no term ids.
    assert_eq!(export.counts(), [0, 5, 4, 0, 6, 1]);
    assert_eq!(export.by_type(), map([("page", 3), ("post", 3)]));
    assert_eq!(export.by_status(), map([("publish", 6)]));
    assert_eq!(export.postmeta(), 13);
    // grep finds 12 `<category` in items; the 5 without `nicename` are WXR 1.0's duplicates.
    assert_eq!(export.item_terms(), 7);
    assert_eq!(export.site().wxr_version, "1.0");
    assert_eq!(export.categories[4].parent, "parent");
    assert_eq!(export.categories[0].id, 0);
    let alpha = export.item("Alpha post");
    let tags: Vec<(&str, &str)> = alpha.terms.iter().map(|t| (t.domain.as_str(), t.slug.as_str())).collect();
    assert_eq!(tags, [("category", "alpha"), ("post_tag", "news"), ("post_tag", "roar")]);
    assert_eq!(export.item("Child page").parent, 10);
    let comment = &export.item("Hello world!").comments[0];
    // An entity inside CDATA is text, kept as written (it is HTML for later).
    assert!(comment.content.contains("view the post&#039;s comments"), "{:?}", comment.content);
}

#[test]
fn valid_wxr_1_1_reads_whole() {
    let Some(export) = Export::well_formed("valid-wxr-1.1.xml") else { return };
    assert_eq!(export.counts(), [1, 1, 1, 1, 2, 1]);
    assert_eq!(export.by_type(), map([("page", 1), ("post", 1)]));
    assert_eq!(export.by_status(), map([("publish", 2)]));
    assert_eq!(export.item_terms(), 3);
    let term = &export.terms[0];
    assert_eq!((term.id, term.taxonomy.as_str(), term.slug.as_str()), (40, "post_tax", "bieup"));
    assert_eq!(term.description, "The bieup post_tax");
    assert_eq!(export.authors[0].display_name, "John Doe");
    assert_eq!(export.tags[0].description, "The Clippable post_tag");
}

#[test]
fn the_comprehensive_fixture_reads_whole() {
    let Some(export) = Export::well_formed("e2e_fixtures_wxr-comprehensive.xml") else { return };
    assert_eq!(export.counts(), [2, 2, 2, 0, 2, 1]);
    assert_eq!(export.by_type(), map([("page", 1), ("post", 1)]));
    assert_eq!(export.by_status(), map([("publish", 2)]));
    assert_eq!(export.item_terms(), 4);
    let post = export.item("Comprehensive Post");
    assert_eq!(
        (post.id, post.creator.as_str(), post.excerpt.as_str()),
        (1000, "alice", "An excerpt for comprehensive post")
    );
    assert_eq!(post.comments[0].author_ip, "127.0.0.1");
    assert_eq!(post.comments[0].meta.len(), 2);
    assert_eq!(post.comments[0].meta[1].value, "vip");
    assert_eq!(export.item("Comprehensive Page").comment_status, "closed");
    assert_eq!(export.site().description, "", "`<description/>`");
}

#[test]
fn wxr_simple_reads_whole() {
    let Some(export) = Export::well_formed("wxr-simple.xml") else { return };
    assert_eq!(export.counts(), [1, 0, 0, 0, 1, 0]);
    let post = &export.items[0];
    assert_eq!(post.title, "\"The Road Not Taken\" by Robert Frost");
    assert_eq!((post.post_type.as_str(), post.status.as_str()), ("post", "publish"));
    assert_eq!(post.modified_gmt, "2024-06-10 12:28:55");
    assert!(post.content.starts_with("<!-- wp:paragraph -->\n<p>Two roads diverged"));
    assert_eq!(post.meta.len(), 2);
}

#[test]
fn multi_line_author_fields_are_trimmed() {
    let Some(export) = Export::well_formed("authors-multiline.xml") else { return };
    // grep counts 4 `<wp:author>`: one is an (unknown) field inside the item.
    assert_eq!(export.counts(), [3, 0, 0, 0, 1, 0]);
    let logins: Vec<(u64, &str)> = export.authors.iter().map(|a| (a.id, a.login.as_str())).collect();
    assert_eq!(logins, [(1, "alice"), (2, "bob"), (3, "carol")]);
    assert_eq!(export.authors[2].email, "carol@example.com");
}

#[test]
fn several_cdata_sections_in_a_row_are_one_value() {
    let Some(export) = Export::well_formed("multiple-cdata.xml") else { return };
    assert_eq!(export.counts(), [0, 0, 0, 0, 1, 0]);
    assert_eq!(export.items[0].content, "\nline oneline twoline three\n");
}

#[test]
fn a_cdata_end_inside_cdata_survives() {
    let Some(export) = Export::well_formed("crazy-cdata.xml") else { return };
    assert_eq!(export.counts(), [0, 0, 0, 0, 1, 0]);
    let item = &export.items[0];
    assert_eq!(item.content, "Content with nested <![CDATA[ tags ]]> :)");
    assert_eq!(item.excerpt, "");
    let meta: Vec<(&str, &str)> = item.meta.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect();
    assert_eq!(
        meta,
        [
            ("Plain string", "Foo"),
            ("Closing CDATA", "]]>"),
            ("Alot of CDATA", "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"),
        ]
    );
    assert_eq!(export.site().base_site_url, "http://wp.dev");
}

#[test]
fn backslashes_are_kept() {
    let Some(export) = Export::well_formed("slashes.xml") else { return };
    assert_eq!(export.counts(), [1, 1, 1, 0, 1, 1]);
    assert_eq!(export.categories[0].name, r#"a \"great\" category"#);
    assert_eq!(export.tags[0].name, r"foo\'bar");
    let item = &export.items[0];
    assert_eq!(item.content, r#"Slashes aren\'t \"cool\""#);
    assert_eq!(item.terms[0].name, r#"a \"great\" category"#);
    assert_eq!(item.comments[0].content, r"\o/ ¯\_(ツ)_/¯");
}

#[test]
fn term_meta_is_read() {
    let Some(export) = Export::well_formed("term-meta.xml") else { return };
    assert_eq!(export.counts(), [0, 0, 0, 1, 0, 0]);
    let term = &export.terms[0];
    assert_eq!(
        (term.id, term.taxonomy.as_str(), term.slug.as_str(), term.parent.as_str()),
        (100, "category", "news", "")
    );
    assert_eq!(term.meta.len(), 1);
    assert_eq!((term.meta[0].key.as_str(), term.meta[0].value.as_str()), ("legacy_id", "42"));
    assert_eq!(export.site().title, "Term Meta");
}

#[test]
fn a_cut_off_export_is_malformed_at_its_end() {
    let Some(result) = Export::read("malformed-simple.xml") else { return };
    let Err((export, error)) = result else { panic!("malformed-simple.xml was accepted") };
    // The file's 13 lines end with a newline: the end is line 14, column 1
    // (Python's expat says the same: "no element found: line 14, column 0", 0-based).
    let WxrError::Malformed { line, column, message } = &error else { panic!("{error:?}") };
    assert_eq!((*line, *column), (14, 1));
    assert!(message.contains("`<item>` (opened at line 9, column 1) is never closed"), "{message}");
    assert!(error.to_string().contains("Tools → Export"), "{error}");
    // What came before the damage was delivered.
    assert_eq!(export.site().title, "Malformed");
    assert!(export.items.is_empty());
}

/// An export of `items` posts, made while it is read.
struct Generated {
    items: usize,
    next: usize,
    chunk: Vec<u8>,
    at: usize,
    ended: bool,
}

impl Generated {
    fn new(items: usize) -> Self {
        let head = concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
            " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n",
            "<title>Büyük site</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n",
        );
        Generated { items, next: 0, chunk: head.as_bytes().to_vec(), at: 0, ended: false }
    }

    fn refill(&mut self) {
        self.chunk.clear();
        self.at = 0;
        if self.next < self.items {
            let n = self.next;
            self.chunk.extend_from_slice(
                format!(
                    "<item><title>Haber {n}</title><dc:creator>editor</dc:creator><content:encoded><![CDATA[<p>Bakü’de {n}. toplantı.</p>\n\n{}]]></content:encoded><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>{n}</wp:meta_value></wp:postmeta><wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_content>Yorum</wp:comment_content></wp:comment></item>\n",
                    "Uzun bir paragraf. ".repeat(20)
                )
                .as_bytes(),
            );
            self.next += 1;
        } else if !self.ended {
            self.chunk.extend_from_slice(b"</channel>\n</rss>\n");
            self.ended = true;
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.chunk.len() {
            self.refill();
        }
        let n = (self.chunk.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn a_large_export_streams_one_item_at_a_time() {
    const ITEMS: usize = 20_000;
    let started = Instant::now();
    let mut reader = WxrReader::new(BufReader::new(Generated::new(ITEMS)));
    let mut items = 0;
    let mut last_position = 0;
    while let Some(record) = reader.next_record().unwrap() {
        if let Record::Item(item) = record {
            assert_eq!(item.id, items as u64);
            assert_eq!(item.comments.len(), 1);
            items += 1;
        }
        assert!(reader.position() >= last_position);
        last_position = reader.position();
    }
    assert_eq!(items, ITEMS);
    // About 10 MB went through; nothing but one item was ever held (the
    // generator keeps one item, the reader its buffers and one record).
    assert!(last_position > 9_000_000, "{last_position}");
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
}
