//! The XML layer of the WXR reader: quick-xml's events as owned values with
//! their namespaces resolved to the few WXR uses.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// What the XML layer hands up.
pub(super) enum Ev {
    Start(Start),
    Empty(Start),
    End,
    Text(Segment),
    Eof,
}

/// An event of quick-xml as an owned [`Ev`]; `None` for what WXR does not
/// use (comments, declarations, processing instructions).
pub(super) fn convert(ns: Ns, event: Event<'_>) -> Result<Option<Ev>, quick_xml::Error> {
    Ok(Some(match event {
        Event::Start(start) => Ev::Start(Start::read(ns, &start)?),
        Event::Empty(start) => Ev::Empty(Start::read(ns, &start)?),
        Event::End(_) => Ev::End,
        Event::Text(text) => Ev::Text(Segment::Text(text.xml10_content()?.into_owned())),
        Event::CData(data) => Ev::Text(Segment::CData(data.xml10_content()?.into_owned())),
        Event::GeneralRef(reference) => {
            let name = reference.decode()?.into_owned();
            let value = match reference.resolve_char_ref()? {
                Some(c) => Some(c.to_string()),
                None => resolve_predefined_entity(&name).map(str::to_owned),
            };
            Ev::Text(Segment::Ref { name, value })
        }
        Event::Eof => Ev::Eof,
        Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => return Ok(None),
    }))
}

/// The namespaces WXR uses, resolved from their URIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// No namespace: RSS's own elements.
    None,
    /// `http(s)://wordpress.org/export/1.x/`.
    Wp,
    /// `http://purl.org/rss/1.0/modules/content/`.
    Content,
    /// `http(s)://wordpress.org/export/1.x/excerpt/`.
    Excerpt,
    /// `http://purl.org/dc/elements/1.1/`.
    Dc,
    Other,
}

impl Ns {
    pub(super) fn of(resolved: &ResolveResult<'_>) -> Ns {
        match resolved {
            ResolveResult::Unbound => Ns::None,
            ResolveResult::Bound(namespace) => Ns::of_uri(namespace.as_ref()),
            ResolveResult::Unknown(_) => Ns::Other,
        }
    }

    pub(super) fn of_uri(uri: &[u8]) -> Ns {
        let uri = String::from_utf8_lossy(uri);
        let uri = uri.trim();
        match uri.strip_prefix("http://").or_else(|| uri.strip_prefix("https://")) {
            Some("purl.org/rss/1.0/modules/content/") => Ns::Content,
            Some("purl.org/dc/elements/1.1/") => Ns::Dc,
            Some(rest) => match rest.strip_prefix("wordpress.org/export/") {
                Some(version) => {
                    let (version, excerpt) = match version.strip_suffix("excerpt/") {
                        Some(version) => (version, true),
                        None => (version, false),
                    };
                    let known = version
                        .strip_suffix('/')
                        .and_then(|v| v.split_once('.'))
                        .is_some_and(|(major, minor)| is_digits(major) && is_digits(minor));
                    match (known, excerpt) {
                        (true, true) => Ns::Excerpt,
                        (true, false) => Ns::Wp,
                        (false, _) => Ns::Other,
                    }
                }
                None => Ns::Other,
            },
            None => Ns::Other,
        }
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An owned start tag.
pub(super) struct Start {
    pub(super) ns: Ns,
    pub(super) local: String,
    pub(super) qname: String,
    /// Attributes by local name.
    pub(super) attrs: Vec<(String, String)>,
    /// Whether the tag binds a prefix to a WordPress export namespace.
    pub(super) declares_wp: bool,
}

impl Start {
    pub(super) fn read(ns: Ns, start: &BytesStart<'_>) -> Result<Start, quick_xml::Error> {
        let decoder = start.decoder();
        let qname = decoder.decode(start.name().as_ref())?.into_owned();
        let local = decoder.decode(start.local_name().as_ref())?.into_owned();
        let mut attrs = Vec::new();
        let mut declares_wp = false;
        for attr in start.attributes() {
            let attr = attr.map_err(quick_xml::Error::InvalidAttr)?;
            let key = attr.key.as_ref();
            let value = attr
                .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned());
            if key.starts_with(b"xmlns") {
                declares_wp |= Ns::of_uri(value.as_bytes()) == Ns::Wp;
                continue;
            }
            let local = decoder.decode(attr.key.local_name().as_ref())?.into_owned();
            attrs.push((local, value));
        }
        Ok(Start { ns, local, qname, attrs, declares_wp })
    }

    pub(super) fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

/// A piece of character data.
pub(super) enum Segment {
    Text(String),
    CData(String),
    /// `&name;`: its value when XML defines it. HTML's named entities are not
    /// XML's; they stay as written, for the HTML they usually end up in.
    Ref {
        name: String,
        value: Option<String>,
    },
}

impl Segment {
    pub(super) fn decoded(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Segment::Text(text) | Segment::CData(text) => text.into(),
            Segment::Ref { value: Some(value), .. } => value.into(),
            Segment::Ref { name, value: None } => format!("&{name};").into(),
        }
    }

    pub(super) fn push_raw(&self, out: &mut String) {
        match self {
            Segment::Text(text) => out.push_str(text),
            Segment::CData(text) => {
                out.push_str("<![CDATA[");
                out.push_str(text);
                out.push_str("]]>");
            }
            Segment::Ref { name, .. } => {
                out.push('&');
                out.push_str(name);
                out.push(';');
            }
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        matches!(self, Segment::Text(text) if text.trim().is_empty())
    }
}
