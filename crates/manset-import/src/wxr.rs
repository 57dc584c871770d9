//! WordPress exports (WXR 1.0, 1.1, 1.2) read as a stream of records.
//!
//! A WordPress export of a large site is easily a gigabyte, so this reader
//! pulls one record at a time from any [`BufRead`]: the site header, an
//! author, a category, a tag, a term, or one item with its meta and comments.
//! Only that record is in memory; nothing is kept after it is returned.
//!
//! Invariants: no I/O besides reading the given reader, no store access.
//! Elements are matched by their resolved namespace, never by the prefix the
//! file happens to use (`wp:` is a convention, `http(s)://wordpress.org/export/1.x/`
//! is the contract). A file that is not well-formed XML is refused with the
//! exact line and column, and the reader stops there.
//!
//! One deliberate leniency: WordPress before 4.x wrote `]]>` inside CDATA
//! sections unescaped, which no XML parser accepts. WordPress's own importer
//! reads such values with a regular expression (strip one `<![CDATA[` … `]]>`
//! wrapper), and so do we, for values where a stray `]]>` shows up.

mod position;
mod records;
mod xml;

use std::io::{self, BufRead};
use std::sync::Arc;

use quick_xml::NsReader;

use position::Tracked;
use records::{Node, author, category, item, tag, term};
use xml::{Ev, Ns, Start, convert};

/// Why an export could not be read. After an error the reader is finished.
#[derive(Debug, thiserror::Error)]
pub enum WxrError {
    /// The XML is not well-formed: cut off, hand-edited, or with something
    /// printed into it. `line` and `column` are 1-based, the column counted in
    /// characters.
    #[error(
        "the export is not well-formed XML at line {line}, column {column}: {message}; export it again from WordPress (Tools → Export) and check that the file was not cut off or edited"
    )]
    Malformed { line: u64, column: u64, message: String },
    /// Well-formed XML, but not a WordPress export.
    #[error("this is not a WordPress export: {0}; make one in WordPress under Tools → Export, “All content”")]
    NotWxr(String),
    /// The reader failed.
    #[error("reading the export failed: {0}")]
    Io(#[from] io::Error),
}

/// The site the export comes from: the `<channel>` fields before the first
/// author, term or item. Fields absent from the file are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    /// `wp:wxr_version`: "1.0", "1.1" or "1.2".
    pub wxr_version: String,
    pub base_site_url: String,
    pub base_blog_url: String,
}

/// `wp:author`: an account that wrote items (WXR 1.1 and later).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    /// `wp:author_id`; 0 when absent (WordPress.com exports omit it).
    pub id: u64,
    /// `wp:author_login`: what items name in `dc:creator`.
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// `wp:category`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Category {
    /// `wp:term_id`; 0 when absent (WXR 1.0).
    pub id: u64,
    /// `wp:category_nicename`.
    pub slug: String,
    /// `wp:category_parent`: the parent's slug, empty for a top-level category.
    pub parent: String,
    /// `wp:cat_name`.
    pub name: String,
    /// `wp:category_description`.
    pub description: String,
    /// `wp:termmeta` (WordPress 4.4 and later).
    pub meta: Vec<Meta>,
}

/// `wp:tag`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tag {
    /// `wp:term_id`; 0 when absent (WXR 1.0).
    pub id: u64,
    /// `wp:tag_slug`.
    pub slug: String,
    /// `wp:tag_name`.
    pub name: String,
    /// `wp:tag_description`.
    pub description: String,
    /// `wp:termmeta`.
    pub meta: Vec<Meta>,
}

/// `wp:term`: a term of any other taxonomy (`nav_menu`, `post_format`, custom ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// `wp:term_id`.
    pub id: u64,
    /// `wp:term_taxonomy`.
    pub taxonomy: String,
    /// `wp:term_slug`.
    pub slug: String,
    /// `wp:term_parent`: the parent's slug, empty for none.
    pub parent: String,
    /// `wp:term_name`.
    pub name: String,
    /// `wp:term_description`.
    pub description: String,
    /// `wp:termmeta`.
    pub meta: Vec<Meta>,
}

/// One `wp:postmeta`, `wp:termmeta` or `wp:commentmeta`: the key trimmed, the
/// value exactly as exported (often PHP-serialized data).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

/// One `<category domain="…" nicename="…">Name</category>` of an item: the
/// item's category, tag or other term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemTerm {
    /// The taxonomy: `category`, `post_tag` (WXR 1.0's `tag` is read as
    /// `post_tag`, as WordPress's importer does), `post_format`, `nav_menu`, …
    pub domain: String,
    /// The `nicename` attribute.
    pub slug: String,
    pub name: String,
}

/// `<item>`: a post, page, attachment, menu item or any other post type.
/// Dates are WordPress's `YYYY-MM-DD HH:MM:SS` as exported (see [`wp_datetime`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// `wp:post_id`; 0 when absent.
    pub id: u64,
    pub title: String,
    pub link: String,
    /// `pubDate` (RFC 2822).
    pub pub_date: String,
    /// `dc:creator`: the author's login.
    pub creator: String,
    pub guid: String,
    pub description: String,
    /// `content:encoded`, exactly as exported: WordPress HTML, see [`crate::wp_content`].
    pub content: String,
    /// `excerpt:encoded`, exactly as exported.
    pub excerpt: String,
    /// `wp:post_date`: local time of the site.
    pub date: String,
    /// `wp:post_date_gmt`: `0000-00-00 00:00:00` for drafts never published.
    pub date_gmt: String,
    /// `wp:post_modified` (WXR 1.2 from WordPress 6.x; empty before).
    pub modified: String,
    /// `wp:post_modified_gmt`.
    pub modified_gmt: String,
    /// `wp:comment_status`: `open` or `closed`.
    pub comment_status: String,
    /// `wp:ping_status`.
    pub ping_status: String,
    /// `wp:post_name`.
    pub slug: String,
    /// `wp:status`: `publish`, `draft`, `pending`, `private`, `future`, `inherit`, `trash`, …
    pub status: String,
    /// `wp:post_parent`; 0 for none.
    pub parent: u64,
    /// `wp:menu_order`.
    pub menu_order: i64,
    /// `wp:post_type`: `post`, `page`, `attachment`, `nav_menu_item`, …
    pub post_type: String,
    /// `wp:post_password`, exactly as exported; empty when the item is not protected.
    pub password: String,
    /// `wp:is_sticky`.
    pub is_sticky: bool,
    /// `wp:attachment_url`, for attachments.
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    /// `wp:postmeta`, in file order.
    pub meta: Vec<Meta>,
    /// `wp:comment`, in file order (not necessarily parents first).
    pub comments: Vec<Comment>,
}

/// `wp:comment`, including pingbacks and trackbacks (`comment_type`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub author: String,
    pub author_email: String,
    pub author_url: String,
    /// `wp:comment_author_IP`.
    pub author_ip: String,
    pub date: String,
    pub date_gmt: String,
    /// Exactly as exported; may hold HTML.
    pub content: String,
    /// `wp:comment_approved` as written: `1`, `0`, `spam`, `trash`, `post-trashed`.
    pub approved: String,
    /// Empty (or `comment`) for comments; `pingback`, `trackback`, …
    pub comment_type: String,
    /// The parent comment's id; 0 for none.
    pub parent: u64,
    /// The commenter's account id; 0 for none.
    pub user_id: u64,
    /// `wp:commentmeta`.
    pub meta: Vec<Meta>,
}

/// What [`WxrReader::next_record`] returns, in file order. `Site` comes first,
/// exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Site(Site),
    Author(Author),
    Category(Category),
    Tag(Tag),
    Term(Term),
    /// Boxed: an item is ten times the size of the other records.
    Item(Box<Item>),
}

/// WordPress's `YYYY-MM-DD HH:MM:SS`, or `None` for the empty and the zero date
/// (`0000-00-00 00:00:00`, a draft never published) and anything unreadable.
pub fn wp_datetime(text: &str) -> Option<jiff::civil::DateTime> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000-00-00") {
        return None;
    }
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text).ok()
}

/// Reads a WXR document one [`Record`] at a time.
///
/// ```no_run
/// # use manset_import::wxr::{WxrReader, Record};
/// let file = std::io::BufReader::new(std::fs::File::open("export.xml")?);
/// for record in WxrReader::new(file) {
///     if let Record::Item(item) = record? {
///         println!("{} {}", item.post_type, item.title);
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct WxrReader<R: BufRead> {
    xml: NsReader<Tracked<R>>,
    buf: Vec<u8>,
    phase: Phase,
    site: Site,
    site_sent: bool,
    /// A record whose start tag was read while the site went out first.
    pending: Option<Kind>,
    /// Open elements from the root: qualified name and where its start tag is.
    open: Vec<(String, u64, u64)>,
    /// Where the event being read starts, in bytes.
    event_start: u64,
    wp_declared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeRoot,
    InRss,
    InChannel,
    AfterChannel,
    Done,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Author,
    Category,
    Tag,
    Term,
    Item,
}

impl<R: BufRead> WxrReader<R> {
    /// A reader over `reader` (a file wrapped in a `BufReader`, say). Nothing
    /// is read before the first [`WxrReader::next_record`].
    pub fn new(reader: R) -> Self {
        let mut xml = NsReader::from_reader(Tracked::new(reader));
        let config = xml.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        WxrReader {
            xml,
            buf: Vec::with_capacity(8 * 1024),
            phase: Phase::BeforeRoot,
            site: Site::default(),
            site_sent: false,
            pending: None,
            open: Vec::new(),
            event_start: 0,
            wp_declared: false,
        }
    }

    /// The next record, or `None` at the end of the document (and after an error).
    pub fn next_record(&mut self) -> Result<Option<Record>, WxrError> {
        if self.phase == Phase::Done {
            return Ok(None);
        }
        let result = self.advance();
        if !matches!(result, Ok(Some(_))) {
            self.phase = Phase::Done;
        }
        result
    }

    /// Bytes consumed so far (for a progress bar against the file's size).
    pub fn position(&self) -> u64 {
        self.xml.buffer_position()
    }

    fn advance(&mut self) -> Result<Option<Record>, WxrError> {
        if let Some(kind) = self.pending.take() {
            return self.read_record(kind).map(Some);
        }
        loop {
            let event = self.next_event()?;
            match self.phase {
                Phase::BeforeRoot => match event {
                    Ev::Start(start) if start.is(Ns::None, "rss") => {
                        self.wp_declared |= start.declares_wp;
                        self.phase = Phase::InRss;
                    }
                    Ev::Empty(start) if start.is(Ns::None, "rss") => {
                        return Err(WxrError::NotWxr("the `<rss>` element is empty".into()));
                    }
                    Ev::Start(start) | Ev::Empty(start) => {
                        return Err(WxrError::NotWxr(format!(
                            "the document is a `<{}>`, not an `<rss>` with a `<channel>`",
                            start.qname
                        )));
                    }
                    Ev::Text(segment) => {
                        let text = segment.decoded();
                        if !text.trim().is_empty() {
                            let leading = text.len() - text.trim_start().len();
                            let (line, column) = self.locate(self.event_start + leading as u64);
                            let shown: String = text.trim().chars().take(60).collect();
                            return Err(WxrError::Malformed {
                                line,
                                column,
                                message: format!(
                                    "text before the `<rss>` element (`{shown}`), often a PHP warning printed into the export; remove everything before `<?xml`"
                                ),
                            });
                        }
                    }
                    Ev::End => {}
                    Ev::Eof => return Err(WxrError::NotWxr("the file holds no XML element at all".into())),
                },
                Phase::InRss => match event {
                    Ev::Start(start) if start.is(Ns::None, "channel") => {
                        self.wp_declared |= start.declares_wp;
                        if !self.wp_declared {
                            return Err(WxrError::NotWxr(
                                "the `<rss>` declares no WordPress export namespace (xmlns:wp=\"http://wordpress.org/export/1.2/\"), so it is an ordinary RSS feed".into(),
                            ));
                        }
                        self.phase = Phase::InChannel;
                    }
                    Ev::Start(_) => self.skip_element()?,
                    Ev::End => {
                        return Err(WxrError::NotWxr("the `<rss>` element holds no `<channel>`".into()));
                    }
                    Ev::Empty(_) | Ev::Text(_) | Ev::Eof => {}
                },
                Phase::InChannel => match event {
                    Ev::Start(start) => {
                        let kind = match (start.ns, start.local.as_str()) {
                            (Ns::Wp, "author") => Some(Kind::Author),
                            (Ns::Wp, "category") => Some(Kind::Category),
                            (Ns::Wp, "tag") => Some(Kind::Tag),
                            (Ns::Wp, "term") => Some(Kind::Term),
                            (Ns::None, "item") => Some(Kind::Item),
                            _ => None,
                        };
                        if let Some(kind) = kind {
                            if !self.site_sent {
                                self.site_sent = true;
                                self.pending = Some(kind);
                                return Ok(Some(Record::Site(std::mem::take(&mut self.site))));
                            }
                            return self.read_record(kind).map(Some);
                        }
                        if self.site_sent {
                            self.skip_element()?;
                            continue;
                        }
                        let node = self.read_element(start)?;
                        let site = &mut self.site;
                        match (node.ns, node.local.as_str()) {
                            (Ns::None, "title") => site.title = node.text.trim().to_owned(),
                            (Ns::None, "link") => site.link = node.text.trim().to_owned(),
                            (Ns::None, "description") => site.description = node.text,
                            (Ns::None, "language") => site.language = node.text.trim().to_owned(),
                            (Ns::Wp, "wxr_version") => site.wxr_version = node.text.trim().to_owned(),
                            (Ns::Wp, "base_site_url") => site.base_site_url = node.text.trim().to_owned(),
                            (Ns::Wp, "base_blog_url") => site.base_blog_url = node.text.trim().to_owned(),
                            _ => {}
                        }
                    }
                    Ev::End => {
                        self.phase = Phase::AfterChannel;
                        if !self.site_sent {
                            self.site_sent = true;
                            return Ok(Some(Record::Site(std::mem::take(&mut self.site))));
                        }
                    }
                    Ev::Empty(_) | Ev::Text(_) | Ev::Eof => {}
                },
                Phase::AfterChannel => match event {
                    // The end of `<rss>`: whatever follows is not read.
                    Ev::End => return Ok(None),
                    Ev::Start(_) => self.skip_element()?,
                    Ev::Empty(_) | Ev::Text(_) | Ev::Eof => {}
                },
                Phase::Done => return Ok(None),
            }
        }
    }

    /// Reads the record whose start tag was just read.
    fn read_record(&mut self, kind: Kind) -> Result<Record, WxrError> {
        let node = self.read_children()?;
        Ok(match kind {
            Kind::Author => Record::Author(author(node)),
            Kind::Category => Record::Category(category(node)),
            Kind::Tag => Record::Tag(tag(node)),
            Kind::Term => Record::Term(term(node)),
            Kind::Item => Record::Item(Box::new(item(node))),
        })
    }

    /// Reads everything up to the end of the element whose start tag was just
    /// read, as a node without a name.
    fn read_children(&mut self) -> Result<Node, WxrError> {
        let start =
            Start { ns: Ns::Other, local: String::new(), qname: String::new(), attrs: Vec::new(), declares_wp: false };
        self.read_element(start)
    }

    /// Reads the element `start` opened, with all it holds.
    fn read_element(&mut self, start: Start) -> Result<Node, WxrError> {
        let mut stack = vec![Node::new(start)];
        loop {
            match self.next_event()? {
                Ev::Start(start) => stack.push(Node::new(start)),
                Ev::Empty(start) => {
                    let node = Node::new(start);
                    last(&mut stack).children.push(node);
                }
                Ev::Text(segment) => {
                    let node = last(&mut stack);
                    // Whitespace between child elements is no value.
                    if node.children.is_empty() || !segment.is_blank() {
                        node.segments.push(segment);
                    }
                }
                Ev::End => {
                    let mut node = stack.pop().unwrap_or_else(|| unreachable!("the stack starts non-empty"));
                    node.finish();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                // `next_event` refuses an end of file inside an element.
                Ev::Eof => return Err(self.never_closed()),
            }
        }
    }

    fn skip_element(&mut self) -> Result<(), WxrError> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next_event()? {
                Ev::Start(_) => depth += 1,
                Ev::End => depth -= 1,
                Ev::Eof => return Err(self.never_closed()),
                Ev::Empty(_) | Ev::Text(_) => {}
            }
        }
        Ok(())
    }

    /// The next event that matters, owned, with namespaces resolved.
    fn next_event(&mut self) -> Result<Ev, WxrError> {
        loop {
            self.event_start = self.xml.buffer_position();
            self.xml.get_mut().settle(self.event_start);
            self.buf.clear();
            let converted = match self.xml.read_resolved_event_into(&mut self.buf) {
                Ok((ns, event)) => convert(Ns::of(&ns), event),
                Err(error) => Err(error),
            };
            let ev = match converted {
                Ok(Some(Ev::Start(start))) => {
                    let (line, column) = self.locate(self.event_start);
                    self.open.push((start.qname.clone(), line, column));
                    Ev::Start(start)
                }
                Ok(Some(Ev::End)) => {
                    self.open.pop();
                    Ev::End
                }
                Ok(Some(Ev::Eof)) if !self.open.is_empty() => return Err(self.never_closed()),
                Ok(Some(ev)) => ev,
                Ok(None) => continue,
                Err(error) => return Err(self.xml_error(error)),
            };
            return Ok(ev);
        }
    }

    /// The end of the file came with elements still open.
    fn never_closed(&self) -> WxrError {
        let (line, column) = self.locate(self.xml.buffer_position());
        let message = match self.open.last() {
            Some((name, open_line, open_column)) => format!(
                "the file ends but `<{name}>` (opened at line {open_line}, column {open_column}) is never closed"
            ),
            None => "the file ends inside an element".to_owned(),
        };
        WxrError::Malformed { line, column, message }
    }

    fn xml_error(&self, error: quick_xml::Error) -> WxrError {
        use quick_xml::errors::IllFormedError;
        let message = match error {
            quick_xml::Error::Io(error) => {
                let error =
                    Arc::try_unwrap(error).unwrap_or_else(|shared| io::Error::new(shared.kind(), shared.to_string()));
                return WxrError::Io(error);
            }
            quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                let opened = self
                    .open
                    .last()
                    .map(|(_, line, column)| format!(" (opened at line {line}, column {column})"))
                    .unwrap_or_default();
                format!("`</{found}>` closes `<{expected}>`{opened}")
            }
            quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                format!("`</{name}>` closes an element that was never opened")
            }
            quick_xml::Error::Encoding(error) => {
                format!("the text is not valid UTF-8 ({error}), which every WordPress export is")
            }
            other => other.to_string(),
        };
        let (line, column) = self.locate(self.xml.error_position().max(self.event_start));
        WxrError::Malformed { line, column, message }
    }

    fn locate(&self, offset: u64) -> (u64, u64) {
        self.xml.get_ref().locate(offset)
    }
}

impl<R: BufRead> Iterator for WxrReader<R> {
    type Item = Result<Record, WxrError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

fn last(stack: &mut [Node]) -> &mut Node {
    stack.last_mut().unwrap_or_else(|| unreachable!("an element is open while its content is read"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<title>Site</title>\n";
    const TAIL: &str = "</channel>\n</rss>\n";

    fn records(xml: &str) -> Result<Vec<Record>, WxrError> {
        WxrReader::new(xml.as_bytes()).collect()
    }

    fn items(xml: &str) -> Vec<Item> {
        records(xml)
            .unwrap()
            .into_iter()
            .filter_map(|r| match r {
                Record::Item(item) => Some(*item),
                _ => None,
            })
            .collect()
    }

    fn doc(body: &str) -> String {
        format!("{HEAD}{body}{TAIL}")
    }

    #[test]
    fn the_site_comes_first_then_records_in_file_order() {
        let xml = doc(
            "<wp:wxr_version>1.2</wp:wxr_version><wp:author><wp:author_login>a</wp:author_login></wp:author><wp:tag><wp:tag_slug>t</wp:tag_slug></wp:tag><item><title>I</title></item>",
        );
        let records = records(&xml).unwrap();
        assert!(matches!(&records[0], Record::Site(site) if site.title == "Site" && site.wxr_version == "1.2"));
        assert!(matches!(&records[1], Record::Author(a) if a.login == "a"));
        assert!(matches!(&records[2], Record::Tag(t) if t.slug == "t"));
        assert!(matches!(&records[3], Record::Item(i) if i.title == "I"));
        assert_eq!(records.len(), 4);
    }

    #[test]
    fn a_channel_without_records_still_yields_its_site() {
        let records = records(&doc("<link>https://x.example</link>")).unwrap();
        assert_eq!(
            records,
            [Record::Site(Site { title: "Site".into(), link: "https://x.example".into(), ..Site::default() })]
        );
    }

    #[test]
    fn elements_are_matched_by_namespace_not_prefix() {
        let xml = "<rss xmlns:w=\"https://wordpress.org/export/1.1/\" xmlns:c=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://example.org/not-wordpress/\"><channel><item><w:post_id>7</w:post_id><wp:post_id>8</wp:post_id><c:encoded>body</c:encoded></item></channel></rss>";
        let items = items(xml);
        assert_eq!(items[0].id, 7);
        assert_eq!(items[0].content, "body");
    }

    #[test]
    fn cdata_text_and_entities_in_a_row_are_joined() {
        let xml = doc(
            "<item><title>A &amp; B &#8220;q&#x201D; &lt;x&gt; &nbsp;</title><content:encoded><![CDATA[one]]>&amp;<![CDATA[two]]> three</content:encoded></item>",
        );
        let item = &items(&xml)[0];
        assert_eq!(item.title, "A & B “q” <x> &nbsp;");
        assert_eq!(item.content, "one&two three");
    }

    #[test]
    fn content_is_kept_exactly_and_identifiers_are_trimmed() {
        let xml = doc(
            "<item><wp:post_id>\n 12 \n</wp:post_id><wp:status> publish\n</wp:status><content:encoded>\n  a\r\n\n</content:encoded><wp:is_sticky>1</wp:is_sticky><wp:menu_order>-3</wp:menu_order></item>",
        );
        let item = &items(&xml)[0];
        assert_eq!(item.id, 12);
        assert_eq!(item.status, "publish");
        assert_eq!(item.content, "\n  a\n\n", "XML line ends are normalized, nothing else");
        assert!(item.is_sticky);
        assert_eq!(item.menu_order, -3);
    }

    #[test]
    fn terms_meta_and_threaded_comments_are_read() {
        let xml = doc(concat!(
            "<item><category domain=\"category\" nicename=\"news\"><![CDATA[News]]></category>",
            "<category><![CDATA[News]]></category><category domain=\"tag\" nicename=\"old\">Old</category>",
            "<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value><![CDATA[ v ]]></wp:meta_value></wp:postmeta>",
            "<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_parent>1</wp:comment_parent><wp:comment_approved>spam</wp:comment_approved>",
            "<wp:commentmeta><wp:meta_key>m</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:commentmeta></wp:comment></item>",
        ));
        let item = &items(&xml)[0];
        assert_eq!(
            item.terms,
            [
                ItemTerm { domain: "category".into(), slug: "news".into(), name: "News".into() },
                ItemTerm { domain: "post_tag".into(), slug: "old".into(), name: "Old".into() },
            ]
        );
        assert_eq!(item.meta, [Meta { key: "k".into(), value: " v ".into() }]);
        let comment = &item.comments[0];
        assert_eq!((comment.id, comment.parent, comment.approved.as_str()), (2, 1, "spam"));
        assert_eq!(comment.meta, [Meta { key: "m".into(), value: "1".into() }]);
    }

    #[test]
    fn a_stray_cdata_end_is_read_as_wordpress_reads_it() {
        let xml = doc("<item><content:encoded><![CDATA[a <![CDATA[ b ]]> c]]></content:encoded></item>");
        assert_eq!(items(&xml)[0].content, "a <![CDATA[ b ]]> c");
    }

    fn malformed(xml: &str) -> (u64, u64, String) {
        match records(xml) {
            Err(WxrError::Malformed { line, column, message }) => (line, column, message),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn a_cut_off_file_is_malformed_at_its_end() {
        let (line, column, message) = malformed(&format!("{HEAD}<item>\n<title>x</title>\n"));
        assert_eq!((line, column), (7, 1));
        assert!(message.contains("`<item>` (opened at line 5, column 1) is never closed"), "{message}");
    }

    #[test]
    fn a_mismatched_end_tag_is_malformed_where_it_stands() {
        let (line, column, message) = malformed(&format!("{HEAD}<item>\n  <title>ş</item>\n"));
        assert_eq!((line, column), (6, 11), "columns count characters, not bytes");
        assert!(message.contains("`</item>` closes `<title>`"), "{message}");
    }

    #[test]
    fn a_php_warning_before_the_document_is_named() {
        let (line, column, message) = malformed("\n  Warning: Cannot modify header information\n<rss></rss>");
        assert_eq!((line, column), (2, 3));
        assert!(message.contains("PHP warning"), "{message}");
    }

    #[test]
    fn the_error_says_what_to_do() {
        let error = records(&format!("{HEAD}<item>")).unwrap_err().to_string();
        assert!(error.starts_with("the export is not well-formed XML at line 5, column 7:"), "{error}");
        assert!(error.contains("Tools → Export"), "{error}");
    }

    #[test]
    fn other_documents_are_not_wxr() {
        for xml in [
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>",
            "<rss version=\"2.0\"><channel><title>A feed</title></channel></rss>",
            "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"></rss>",
            "<rss/>",
            "",
        ] {
            assert!(matches!(records(xml), Err(WxrError::NotWxr(_))), "{xml}");
        }
    }

    #[test]
    fn the_reader_is_finished_after_an_error() {
        let xml = format!("{HEAD}<item></title>");
        let mut reader = WxrReader::new(xml.as_bytes());
        assert!(matches!(reader.next_record(), Ok(Some(Record::Site(_)))));
        assert!(reader.next_record().is_err());
        assert!(reader.next_record().unwrap().is_none());
    }

    #[test]
    fn position_counts_consumed_bytes() {
        let xml = doc("<item></item>");
        let mut reader = WxrReader::new(xml.as_bytes());
        while reader.next_record().unwrap().is_some() {}
        assert_eq!(reader.position(), xml.trim_end().len() as u64);
    }

    #[test]
    fn wordpress_dates_are_read_and_zero_dates_are_none() {
        assert_eq!(wp_datetime("2024-06-05 16:04:48").unwrap().to_string(), "2024-06-05T16:04:48");
        assert_eq!(wp_datetime("0000-00-00 00:00:00"), None);
        assert_eq!(wp_datetime(""), None);
    }
}
