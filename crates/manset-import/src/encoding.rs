//! A document from outside (an agency feed) as UTF-8 text, its encoding
//! found as browsers find it (the WHATWG Encoding standard) rather than
//! trusted to one declaration:
//!
//! 1. a byte-order mark (UTF-8, UTF-16 or UTF-32, either byte order);
//! 2. UTF-32 and UTF-16 without a mark, by how the first `<` looks
//!    (XML 1.0, appendix F);
//! 3. the charset of the HTTP answer's `Content-Type`;
//! 4. the encoding the XML declaration names;
//! 5. else UTF-8.
//!
//! Labels mean what the standard says they mean: `iso-8859-1` and `latin1`
//! are windows-1252, whose curly quotes and ellipsis agencies send under
//! that label; `iso-8859-9` is windows-1254. Bytes that do not decode become
//! U+FFFD rather than refusing the whole feed. Then text that was UTF-8
//! read as Latin-1 and encoded again (`â€¦` or `â\u{80}¦` for `…`) is
//! repaired wherever its bytes make valid UTF-8 again. The declaration is
//! rewritten to say UTF-8, so the parser reads the text as it now is.

use encoding_rs::Encoding;

/// `bytes` as text; `http_charset` is the `charset` parameter of the
/// answer's `Content-Type`, if any.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> String {
    let text = match sniff(bytes) {
        Sniffed::Utf32 { big_endian, skip } => utf32(&bytes[skip..], big_endian),
        Sniffed::Encoding(encoding, skip) => encoding.decode_without_bom_handling(&bytes[skip..]).0.into_owned(),
        Sniffed::Unknown => {
            let declared = http_charset
                .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
                .or_else(|| xml_declared(bytes).map(Encoding::output_encoding))
                .unwrap_or(encoding_rs::UTF_8);
            // A UTF-16 label on bytes that had none of UTF-16's marks
            // above: they are ASCII-compatible, as the standard decides.
            let encoding = if declared == encoding_rs::UTF_16LE || declared == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                declared
            };
            encoding.decode_without_bom_handling(bytes).0.into_owned()
        }
    };
    declare_utf8(&repair_double_encoding(&text))
}

enum Sniffed {
    Utf32 { big_endian: bool, skip: usize },
    Encoding(&'static Encoding, usize),
    Unknown,
}

fn sniff(b: &[u8]) -> Sniffed {
    match b {
        [0xEF, 0xBB, 0xBF, ..] => Sniffed::Encoding(encoding_rs::UTF_8, 3),
        [0x00, 0x00, 0xFE, 0xFF, ..] => Sniffed::Utf32 { big_endian: true, skip: 4 },
        [0xFF, 0xFE, 0x00, 0x00, ..] => Sniffed::Utf32 { big_endian: false, skip: 4 },
        [0xFE, 0xFF, ..] => Sniffed::Encoding(encoding_rs::UTF_16BE, 2),
        [0xFF, 0xFE, ..] => Sniffed::Encoding(encoding_rs::UTF_16LE, 2),
        [0x00, 0x00, 0x00, c, ..] if *c != 0 => Sniffed::Utf32 { big_endian: true, skip: 0 },
        [c, 0x00, 0x00, 0x00, ..] if *c != 0 => Sniffed::Utf32 { big_endian: false, skip: 0 },
        [0x00, c, 0x00, d, ..] if *c != 0 && *d != 0 => Sniffed::Encoding(encoding_rs::UTF_16BE, 0),
        [c, 0x00, d, 0x00, ..] if *c != 0 && *d != 0 => Sniffed::Encoding(encoding_rs::UTF_16LE, 0),
        _ => Sniffed::Unknown,
    }
}

/// UTF-32 (encoding_rs, following the web, has no decoder for it).
fn utf32(bytes: &[u8], big_endian: bool) -> String {
    bytes
        .chunks(4)
        .map(|unit| {
            let unit: [u8; 4] = unit.try_into().unwrap_or([0, 0, 0xFF, 0xFD]);
            let code = if big_endian { u32::from_be_bytes(unit) } else { u32::from_le_bytes(unit) };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect()
}

/// The encoding the XML declaration at the start names, if any.
fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let at = declaration.find("encoding")? + "encoding".len();
    let rest = declaration[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let label = &rest[1..][..rest[1..].find(quote)?];
    Encoding::for_label(label.as_bytes())
}

/// The text with its XML declaration saying UTF-8 (what it is now), and no
/// byte-order mark.
fn declare_utf8(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let Some(end) = text.starts_with("<?xml").then(|| text.find("?>")).flatten() else { return text.to_owned() };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"{}", &text[end..])
}

/// The byte a character had in windows-1252 read as Latin-1 (as a
/// mis-decoding leaves it): U+0000–U+00FF as themselves, and the
/// characters windows-1252 puts at 0x80–0x9F.
fn single_byte(c: char) -> Option<u8> {
    if let Ok(byte) = u8::try_from(u32::from(c)) {
        return Some(byte);
    }
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
    (!unmappable && bytes.len() == 1).then(|| bytes[0])
}

/// Repairs UTF-8 that was read as Latin-1 or windows-1252 and encoded
/// again: within each run of characters that each stand for one byte, the
/// bytes that form valid multi-byte UTF-8 are decoded; the others are left
/// as they were (`São` stays `São`: `ã` followed by `o` is no UTF-8).
pub fn repair_double_encoding(text: &str) -> String {
    if !text.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<(char, u8)> = Vec::new();
    for c in text.chars() {
        match single_byte(c) {
            Some(byte) => run.push((c, byte)),
            None => {
                flush(&mut run, &mut out);
                out.push(c);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut Vec<(char, u8)>, out: &mut String) {
    let bytes: Vec<u8> = run.iter().map(|&(_, b)| b).collect();
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        at += chunk.valid().len();
        for _ in chunk.invalid() {
            out.push(run[at].0);
            at += 1;
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = "<?xml version=\"1.0\" encoding=\"ENCODING\"?><rss version=\"2.0\"><channel><title>Ajans</title>\
        <item><title>Şişli’de “kafe” açıldı… don’t</title></item></channel></rss>";

    fn feed(label: &str) -> String {
        FEED.replace("ENCODING", label)
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for unit in std::iter::once(0xFEFF).filter(|_| bom).chain(text.encode_utf16()) {
            out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    fn utf32_bytes(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for c in std::iter::once('\u{FEFF}').filter(|_| bom).chain(text.chars()) {
            let code = u32::from(c);
            out.extend(if big_endian { code.to_be_bytes() } else { code.to_le_bytes() });
        }
        out
    }

    #[test]
    fn utf16_and_utf32_are_read_with_or_without_a_mark_whatever_they_declare() {
        let expected = feed("UTF-8");
        for big_endian in [false, true] {
            for bom in [false, true] {
                for label in ["UTF-16", "utf-32", "UTF-8"] {
                    let text = feed(label);
                    assert_eq!(
                        decode(&utf16(&text, big_endian, bom), None),
                        expected,
                        "UTF-16 {big_endian} {bom} {label}"
                    );
                    assert_eq!(
                        decode(&utf32_bytes(&text, big_endian, bom), None),
                        expected,
                        "UTF-32 {big_endian} {bom}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_http_charset_is_heard_when_the_document_declares_none() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1254.encode("<rss><channel><item><title>Şişli’de</title></item></channel></rss>");
        let text = decode(&bytes, Some("iso-8859-9"));
        assert!(text.contains("Şişli’de"), "{text}");
        // A mark outranks the HTTP charset.
        let marked = [b"\xEF\xBB\xBF".as_slice(), "<rss>Şişli</rss>".as_bytes()].concat();
        assert_eq!(decode(&marked, Some("iso-8859-9")), "<rss>Şişli</rss>");
    }

    #[test]
    fn iso_8859_1_is_read_as_windows_1252_so_its_quotes_and_ellipsis_stay() {
        let body = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>caf\u{e9} don\u{2019}t \u{201c}x\u{201d}\u{2026}</title></rss>";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(body);
        assert!(!unmappable);
        let text = decode(&bytes, None);
        assert!(text.contains("café don’t “x”…"), "{text:?}");
        assert!(!text.chars().any(|c| ('\u{80}'..='\u{9F}').contains(&c)), "no C1 controls: {text:?}");
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "the declaration says what it is now");
    }

    #[test]
    fn double_encoded_utf8_is_repaired_and_real_latin1_text_is_not() {
        assert_eq!(repair_double_encoding("Ä°stanbulâ€™da haber â€¦ Ã§ok"), "İstanbul’da haber … çok");
        assert_eq!(repair_double_encoding("bitti\u{e2}\u{80}\u{a6}"), "bitti…");
        assert_eq!(repair_double_encoding("São Paulo, Köln, Ærø, ¿qué?"), "São Paulo, Köln, Ærø, ¿qué?");
        assert_eq!(repair_double_encoding("Şişli’de ğüşıöç"), "Şişli’de ğüşıöç");
        let doubled = String::from_utf8(
            "<rss><title>açıldı…</title></rss>"
                .chars()
                .flat_map(|c| {
                    let mut b = [0u8; 4];
                    c.encode_utf8(&mut b).bytes().map(char::from).collect::<Vec<_>>()
                })
                .collect::<String>()
                .into_bytes(),
        )
        .unwrap();
        assert_eq!(decode(doubled.as_bytes(), None), "<rss><title>açıldı…</title></rss>");
    }

    #[test]
    fn bytes_that_do_not_decode_become_replacement_characters_not_a_refusal() {
        assert_eq!(decode(b"<rss>a\xFFb</rss>", None), "<rss>a\u{FFFD}b</rss>");
    }
}
