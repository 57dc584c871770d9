//! The elements of one record as a small tree, and the tree as the
//! record's type: which WXR element fills which field, what is trimmed.

use super::xml::{Ns, Segment, Start};
use super::{Author, Category, Comment, Item, ItemTerm, Meta, Tag, Term};

/// One element of the record being read.
pub(super) struct Node {
    pub(super) ns: Ns,
    pub(super) local: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) segments: Vec<Segment>,
    /// The character data, set when the element ends.
    pub(super) text: String,
    pub(super) children: Vec<Node>,
}

impl Node {
    pub(super) fn new(start: Start) -> Node {
        Node {
            ns: start.ns,
            local: start.local,
            attrs: start.attrs,
            segments: Vec::new(),
            text: String::new(),
            children: Vec::new(),
        }
    }

    /// Joins the character data: text, CDATA sections and references in a row.
    pub(super) fn finish(&mut self) {
        let segments = std::mem::take(&mut self.segments);
        let stray_cdata_end = segments.iter().any(|s| matches!(s, Segment::Text(t) if t.contains("]]>")))
            && segments.iter().any(|s| matches!(s, Segment::CData(_)));
        if stray_cdata_end {
            // A `]]>` inside a CDATA section ended it early. Read the value the
            // way WordPress's importer does: the raw text minus one wrapper.
            let mut raw = String::new();
            for segment in &segments {
                segment.push_raw(&mut raw);
            }
            let trimmed = raw.trim();
            if let Some(inner) = trimmed.strip_prefix("<![CDATA[").and_then(|r| r.strip_suffix("]]>")) {
                self.text = inner.to_owned();
                return;
            }
        }
        self.text = match segments.as_slice() {
            [Segment::Text(one) | Segment::CData(one)] => one.clone(),
            _ => segments.iter().map(Segment::decoded).collect(),
        };
    }

    fn trimmed(&self) -> String {
        self.text.trim().to_owned()
    }

    fn number(&self) -> u64 {
        self.text.trim().parse().unwrap_or(0)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

fn meta(node: Node) -> Meta {
    let mut meta = Meta::default();
    for child in node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::Wp, "meta_key") => meta.key = child.trimmed(),
            (Ns::Wp, "meta_value") => meta.value = child.text,
            _ => {}
        }
    }
    meta
}

pub(super) fn author(node: Node) -> Author {
    let mut author = Author::default();
    for child in node.children {
        if child.ns != Ns::Wp {
            continue;
        }
        match child.local.as_str() {
            "author_id" => author.id = child.number(),
            "author_login" => author.login = child.trimmed(),
            "author_email" => author.email = child.trimmed(),
            "author_display_name" => author.display_name = child.trimmed(),
            "author_first_name" => author.first_name = child.trimmed(),
            "author_last_name" => author.last_name = child.trimmed(),
            _ => {}
        }
    }
    author
}

pub(super) fn category(node: Node) -> Category {
    let mut category = Category::default();
    for child in node.children {
        if child.ns != Ns::Wp {
            continue;
        }
        match child.local.as_str() {
            "term_id" => category.id = child.number(),
            "category_nicename" => category.slug = child.trimmed(),
            "category_parent" => category.parent = child.trimmed(),
            "cat_name" => category.name = child.trimmed(),
            "category_description" => category.description = child.text,
            "termmeta" => category.meta.push(meta(child)),
            _ => {}
        }
    }
    category
}

pub(super) fn tag(node: Node) -> Tag {
    let mut tag = Tag::default();
    for child in node.children {
        if child.ns != Ns::Wp {
            continue;
        }
        match child.local.as_str() {
            "term_id" => tag.id = child.number(),
            "tag_slug" => tag.slug = child.trimmed(),
            "tag_name" => tag.name = child.trimmed(),
            "tag_description" => tag.description = child.text,
            "termmeta" => tag.meta.push(meta(child)),
            _ => {}
        }
    }
    tag
}

pub(super) fn term(node: Node) -> Term {
    let mut term = Term::default();
    for child in node.children {
        if child.ns != Ns::Wp {
            continue;
        }
        match child.local.as_str() {
            "term_id" => term.id = child.number(),
            "term_taxonomy" => term.taxonomy = child.trimmed(),
            "term_slug" => term.slug = child.trimmed(),
            "term_parent" => term.parent = child.trimmed(),
            "term_name" => term.name = child.trimmed(),
            "term_description" => term.description = child.text,
            "termmeta" => term.meta.push(meta(child)),
            _ => {}
        }
    }
    term
}

pub(super) fn item(node: Node) -> Item {
    let mut item = Item::default();
    for child in node.children {
        match (child.ns, child.local.as_str()) {
            (Ns::None, "title") => item.title = child.trimmed(),
            (Ns::None, "link") => item.link = child.trimmed(),
            (Ns::None, "pubDate") => item.pub_date = child.trimmed(),
            (Ns::None, "guid") => item.guid = child.trimmed(),
            (Ns::None, "description") => item.description = child.text,
            (Ns::None, "category") => item.terms.extend(item_term(child)),
            (Ns::Dc, "creator") => item.creator = child.trimmed(),
            (Ns::Content, "encoded") => item.content = child.text,
            (Ns::Excerpt, "encoded") => item.excerpt = child.text,
            (Ns::Wp, local) => match local {
                "post_id" => item.id = child.number(),
                "post_date" => item.date = child.trimmed(),
                "post_date_gmt" => item.date_gmt = child.trimmed(),
                "post_modified" => item.modified = child.trimmed(),
                "post_modified_gmt" => item.modified_gmt = child.trimmed(),
                "comment_status" => item.comment_status = child.trimmed(),
                "ping_status" => item.ping_status = child.trimmed(),
                "post_name" => item.slug = child.trimmed(),
                "status" => item.status = child.trimmed(),
                "post_parent" => item.parent = child.number(),
                "menu_order" => item.menu_order = child.text.trim().parse().unwrap_or(0),
                "post_type" => item.post_type = child.trimmed(),
                "post_password" => item.password = child.text,
                "is_sticky" => item.is_sticky = child.text.trim() == "1",
                "attachment_url" => item.attachment_url = child.trimmed(),
                "postmeta" => item.meta.push(meta(child)),
                "comment" => item.comments.push(comment(child)),
                _ => {}
            },
            _ => {}
        }
    }
    item
}

/// An item's `<category>`. WXR 1.0 wrote each term twice, once without
/// `nicename`; like WordPress's importer, only the one with it counts.
fn item_term(node: Node) -> Option<ItemTerm> {
    let slug = node.attr("nicename")?.trim().to_owned();
    let domain = match node.attr("domain").map(str::trim) {
        Some("tag") => "post_tag".to_owned(),
        Some(domain) => domain.to_owned(),
        None => "category".to_owned(),
    };
    Some(ItemTerm { domain, slug, name: node.trimmed() })
}

fn comment(node: Node) -> Comment {
    let mut comment = Comment::default();
    for child in node.children {
        if child.ns != Ns::Wp {
            continue;
        }
        match child.local.as_str() {
            "comment_id" => comment.id = child.number(),
            "comment_author" => comment.author = child.trimmed(),
            "comment_author_email" => comment.author_email = child.trimmed(),
            "comment_author_url" => comment.author_url = child.trimmed(),
            "comment_author_IP" => comment.author_ip = child.trimmed(),
            "comment_date" => comment.date = child.trimmed(),
            "comment_date_gmt" => comment.date_gmt = child.trimmed(),
            "comment_content" => comment.content = child.text,
            "comment_approved" => comment.approved = child.trimmed(),
            "comment_type" => comment.comment_type = child.trimmed(),
            "comment_parent" => comment.parent = child.number(),
            "comment_user_id" => comment.user_id = child.number(),
            "commentmeta" => comment.meta.push(meta(child)),
            _ => {}
        }
    }
    comment
}
