//! For `benches/wordpress.sh`: `wxr gen N` writes a WordPress export with N
//! posts (two comments each, one a reply) to standard output, streamed;
//! `wxr gen N TAGS` spreads them over TAGS tags instead of 500, and makes
//! every tenth a draft and every twenty-fifth one waiting for review (a
//! newsroom's archive, for `benches/lists.sh`);
//! `wxr parse FILE` reads an export through our streaming reader and counts
//! its records (the baseline an import is compared with).

use std::io::{BufWriter, Write};

use manset_import::wxr::{Record, WxrReader};

const WORDS: &[&str] = &[
    "Bakü",
    "limanı",
    "enerji",
    "koridoru",
    "hükümet",
    "açıkladı",
    "yatırım",
    "milyon",
    "dolar",
    "Gürcistan",
    "Türkiye",
    "ihracat",
    "arttı",
    "seçim",
    "meclis",
    "bakanlık",
    "toplantı",
    "anlaşma",
    "imzalandı",
    "bölge",
    "ekonomi",
    "yüzde",
    "yıl",
    "proje",
    "demiryolu",
    "doğalgaz",
    "boru",
    "hattı",
    "Avrupa",
    "Orta",
    "Asya",
];

fn words(seed: &mut u64, n: usize) -> String {
    (0..n)
        .map(|_| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            WORDS[(*seed >> 33) as usize % WORDS.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn generate(n: u64, tags: Option<u64>) -> std::io::Result<()> {
    let status = |i: u64| match (tags.is_some(), i % 10, i % 25) {
        (true, 0, _) => "draft",
        (true, _, 0) => "pending",
        _ => "publish",
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Örnek Haber</title><link>https://ornek.example</link><language>tr</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://ornek.example</wp:base_site_url><wp:base_blog_url>https://ornek.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login><wp:author_email><![CDATA[editor@ornek.example]]></wp:author_email><wp:author_display_name><![CDATA[Ayşe Yılmaz]]></wp:author_display_name></wp:author>"#
    )?;
    for c in 0..20 {
        writeln!(
            out,
            "<wp:category><wp:term_id>{}</wp:term_id><wp:category_nicename>bolum-{c}</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Bölüm {c}]]></wp:cat_name></wp:category>",
            c + 1
        )?;
    }
    let mut seed = 7u64;
    for i in 1..=n {
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 2015 + (i / 336) % 10);
        let title = words(&mut seed, 8);
        let paragraphs: Vec<String> = (0..6).map(|_| words(&mut seed, 60)).collect();
        writeln!(
            out,
            r#"<item><title>{title} {i}</title><link>https://ornek.example/{year}/{month:02}/{day:02}/haber-{i}/</link><pubDate>Mon, 01 Jan 2018 10:00:00 +0000</pubDate><dc:creator><![CDATA[editor]]></dc:creator><guid isPermaLink="false">https://ornek.example/?p={i}</guid><description></description>
<content:encoded><![CDATA[{}]]></content:encoded><excerpt:encoded><![CDATA[{}]]></excerpt:encoded>
<wp:post_id>{i}</wp:post_id><wp:post_date><![CDATA[{year}-{month:02}-{day:02} 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[{year}-{month:02}-{day:02} 07:00:00]]></wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name><![CDATA[haber-{i}]]></wp:post_name><wp:status>{}</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="bolum-{}"><![CDATA[Bölüm {}]]></category><category domain="post_tag" nicename="etiket-{}"><![CDATA[Etiket {}]]></category>
<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_author><![CDATA[Okur]]></wp:comment_author><wp:comment_author_email>okur{i}@example.com</wp:comment_author_email><wp:comment_date>{year}-{month:02}-{day:02} 11:00:00</wp:comment_date><wp:comment_date_gmt>{year}-{month:02}-{day:02} 08:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[{}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_author><![CDATA[Yanıt]]></wp:comment_author><wp:comment_author_email>yanit{i}@example.com</wp:comment_author_email><wp:comment_date>{year}-{month:02}-{day:02} 12:00:00</wp:comment_date><wp:comment_date_gmt>{year}-{month:02}-{day:02} 09:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[{}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>{}</wp:comment_parent></wp:comment>
</item>"#,
            paragraphs.join("\n\n"),
            words(&mut seed, 20),
            status(i),
            i % 20,
            i % 20,
            i % tags.unwrap_or(500),
            i % tags.unwrap_or(500),
            2 * i - 1,
            words(&mut seed, 25),
            2 * i,
            words(&mut seed, 15),
            2 * i - 1,
        )?;
    }
    writeln!(out, "</channel></rss>")?;
    out.flush()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let n = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
            let tags = args.get(3).and_then(|n| n.parse().ok());
            generate(n, tags).expect("written")
        }
        Some("parse") => {
            let file = std::fs::File::open(&args[2]).expect("the export opens");
            let mut reader = WxrReader::new(std::io::BufReader::with_capacity(256 * 1024, file));
            let (mut items, mut comments) = (0u64, 0u64);
            while let Some(record) = reader.next_record().expect("well-formed") {
                if let Record::Item(item) = record {
                    items += 1;
                    comments += item.comments.len() as u64;
                }
            }
            println!("{items} items, {comments} comments");
        }
        _ => eprintln!("usage: wxr gen N [TAGS] | wxr parse FILE"),
    }
}
