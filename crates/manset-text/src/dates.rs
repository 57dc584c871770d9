//! Dates as readers read them: `28 Haziran 2024 Cuma` in Turkish,
//! `Friday, 28 June 2024` in English, always in the site's time zone.
//!
//! Machine-readable forms are not language dependent and are produced here
//! too, so the whole site formats time one way: RFC 3339 (`<time datetime>`,
//! Atom), RFC 822 (RSS), the HTTP date (`Last-Modified`, read back from
//! `If-Modified-Since`), and the values of the newsroom's
//! `<input type=datetime-local>` and times of day.
//!
//! Invariant: the names of months and weekdays, in any language or form,
//! are written only here (the workspace's `one_of_each` test looks).

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;

use crate::Lang;

const MONTHS_TR: [&str; 12] =
    ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English month abbreviations, as RFC 822 and HTTP dates spell them.
const MONTHS_SHORT: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// English weekday abbreviations, Monday first.
const WEEKDAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn weekday_name(day: Weekday, lang: Lang) -> &'static str {
    let i = day.to_monday_zero_offset() as usize;
    match lang {
        Lang::Tr => ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"][i],
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i],
    }
}

fn month_name(month: i8, lang: Lang) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Tr => MONTHS_TR[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// The long date of an instant in `tz`: `28 Haziran 2024 Cuma` (Turkish
/// newspaper order: day, month, year, weekday) or `Friday, 28 June 2024`.
pub fn long_date(at: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    let dt = tz.to_datetime(at);
    let (day, month, year) = (dt.day(), month_name(dt.month(), lang), dt.year());
    let weekday = weekday_name(dt.weekday(), lang);
    match lang {
        Lang::Tr => format!("{day} {month} {year} {weekday}"),
        Lang::En => format!("{weekday}, {day} {month} {year}"),
    }
}

/// The long date followed by the time of day: `28 Haziran 2024 Cuma 14:05`.
pub fn long_date_time(at: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    format!("{} {}", long_date(at, tz, lang), time_of_day(at, tz))
}

/// The time of day in `tz`, on the 24-hour clock: `14:05`.
pub fn time_of_day(at: Timestamp, tz: &TimeZone) -> String {
    let dt = tz.to_datetime(at);
    format!("{:02}:{:02}", dt.hour(), dt.minute())
}

/// The value of an `<input type="datetime-local">` showing `at` in `tz`, to
/// the minute: `2024-06-28T14:05`.
pub fn datetime_local(at: Timestamp, tz: &TimeZone) -> String {
    let dt = tz.to_datetime(at);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute())
}

/// A short date for lists and cards: `28.06.2024` in Turkish, `28 Jun 2024`
/// in English.
pub fn short_date(at: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    let dt = tz.to_datetime(at);
    match lang {
        Lang::Tr => format!("{:02}.{:02}.{}", dt.day(), dt.month(), dt.year()),
        Lang::En => format!("{} {} {}", dt.day(), MONTHS_SHORT[(dt.month().clamp(1, 12) - 1) as usize], dt.year()),
    }
}

/// RFC 3339 with the site's offset, for `<time datetime="…">` and Atom:
/// `2024-06-28T14:05:00+03:00`.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(at);
    let dt = offset.to_datetime(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        offset_text(offset.seconds(), true)
    )
}

/// `+0300`, `-0430`: an offset as RFC 822 writes it (`colon` false) or as
/// RFC 3339 does (`+03:00`).
fn offset_text(seconds: i32, colon: bool) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes) = (seconds / 3600, (seconds % 3600) / 60);
    if colon { format!("{sign}{hours:02}:{minutes:02}") } else { format!("{sign}{hours:02}{minutes:02}") }
}

/// `Fri, 28 Jun 2024 12:30:00 +0300`: RFC 822 (with four-digit years, as
/// RFC 1123 and every feed reader expects), English names, `tz`'s offset.
/// For RSS.
pub fn rfc822(at: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(at);
    imf(offset.to_datetime(at), &offset_text(offset.seconds(), false))
}

/// `Fri, 28 Jun 2024 12:30:00 ZONE`: the form RFC 822 dates and HTTP dates share.
fn imf(dt: jiff::civil::DateTime, zone: &str) -> String {
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} {zone}",
        WEEKDAYS_SHORT[dt.weekday().to_monday_zero_offset() as usize],
        dt.day(),
        MONTHS_SHORT[(dt.month() - 1) as usize],
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`: the HTTP date (RFC 9110's IMF-fixdate),
/// always in UTC, the only form we send.
pub fn http_date(at: Timestamp) -> String {
    imf(TimeZone::UTC.to_datetime(at), "GMT")
}

/// Reads an IMF-fixdate ([`http_date`]'s form); the obsolete RFC 850 and
/// asctime forms are `None`, which only costs a client a full answer
/// instead of a 304. The weekday is not checked.
pub fn parse_http_date(text: &str) -> Option<Timestamp> {
    let mut parts = text.split_whitespace().skip(1);
    let day: i8 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS_SHORT.iter().position(|m| *m == month_name)? as i8 + 1;
    let year: i16 = parts.next()?.parse().ok()?;
    let mut time = parts.next()?.split(':');
    let (h, m, s): (i8, i8, i8) = (time.next()?.parse().ok()?, time.next()?.parse().ok()?, time.next()?.parse().ok()?);
    (parts.next()? == "GMT").then_some(())?;
    let dt = jiff::civil::DateTime::new(year, month, day, h, m, s, 0).ok()?;
    TimeZone::UTC.to_timestamp(dt).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn istanbul() -> TimeZone {
        TimeZone::get("Europe/Istanbul").expect("the bundled time zone database has Istanbul")
    }

    #[test]
    fn seed_date_reads_as_a_turkish_newspaper_writes_it() {
        let at: Timestamp = "2024-06-28T09:30:00Z".parse().unwrap();
        assert_eq!(long_date(at, &istanbul(), Lang::Tr), "28 Haziran 2024 Cuma");
        assert_eq!(long_date(at, &istanbul(), Lang::En), "Friday, 28 June 2024");
    }

    #[test]
    fn the_site_time_zone_decides_the_day() {
        // 22:30 UTC on the 27th is already 01:30 on the 28th in Istanbul (UTC+3).
        let at: Timestamp = "2024-06-27T22:30:00Z".parse().unwrap();
        assert_eq!(long_date(at, &istanbul(), Lang::Tr), "28 Haziran 2024 Cuma");
        assert_eq!(long_date(at, &TimeZone::UTC, Lang::Tr), "27 Haziran 2024 Perşembe");
        assert_eq!(long_date_time(at, &istanbul(), Lang::Tr), "28 Haziran 2024 Cuma 01:30");
    }

    #[test]
    fn every_turkish_month_and_weekday_is_spelled_right() {
        let names: Vec<String> = (1..=12)
            .map(|m| {
                let at: Timestamp = format!("2025-{m:02}-15T12:00:00Z").parse().unwrap();
                long_date(at, &TimeZone::UTC, Lang::Tr)
            })
            .collect();
        assert_eq!(names[0], "15 Ocak 2025 Çarşamba");
        assert_eq!(names[1], "15 Şubat 2025 Cumartesi");
        assert_eq!(names[4], "15 Mayıs 2025 Perşembe");
        assert_eq!(names[7], "15 Ağustos 2025 Cuma");
        assert_eq!(names[8], "15 Eylül 2025 Pazartesi");
        assert_eq!(names[10], "15 Kasım 2025 Cumartesi");
        assert_eq!(names[11], "15 Aralık 2025 Pazartesi");
        let at: Timestamp = "2025-12-16T12:00:00Z".parse().unwrap();
        assert_eq!(long_date(at, &TimeZone::UTC, Lang::Tr), "16 Aralık 2025 Salı");
    }

    #[test]
    fn machine_dates_carry_the_site_offset() {
        let at: Timestamp = "2024-06-28T09:30:00Z".parse().unwrap();
        assert_eq!(rfc3339(at, &istanbul()), "2024-06-28T12:30:00+03:00");
        assert_eq!(rfc3339(at, &TimeZone::UTC), "2024-06-28T09:30:00+00:00");
        assert_eq!(short_date(at, &istanbul(), Lang::Tr), "28.06.2024");
        assert_eq!(short_date(at, &istanbul(), Lang::En), "28 Jun 2024");
    }

    #[test]
    fn rss_dates_are_english_with_the_site_offset() {
        let at: Timestamp = "2024-06-28T09:30:00Z".parse().unwrap();
        assert_eq!(rfc822(at, &istanbul()), "Fri, 28 Jun 2024 12:30:00 +0300");
        assert_eq!(rfc822(at, &TimeZone::UTC), "Fri, 28 Jun 2024 09:30:00 +0000");
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        assert_eq!(rfc822(at, &kolkata), "Fri, 28 Jun 2024 15:00:00 +0530");
        let new_york = TimeZone::get("America/New_York").unwrap();
        let winter: Timestamp = "2025-01-06T03:04:05Z".parse().unwrap();
        assert_eq!(rfc822(winter, &new_york), "Sun, 05 Jan 2025 22:04:05 -0500");
        assert_eq!(rfc3339(winter, &new_york), "2025-01-05T22:04:05-05:00");
    }

    #[test]
    fn http_dates_round_trip() {
        let at: Timestamp = "1994-11-06T08:49:37Z".parse().unwrap();
        assert_eq!(http_date(at), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(at));
        for month in 1..=12 {
            let at: Timestamp = format!("2025-{month:02}-01T00:00:00Z").parse().unwrap();
            assert_eq!(parse_http_date(&http_date(at)), Some(at), "{}", http_date(at));
        }
    }

    #[test]
    fn other_http_date_forms_are_not_read() {
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None, "RFC 850");
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), None, "asctime");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 +0000"), None, "not GMT");
        assert_eq!(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None, "no such day");
        assert_eq!(parse_http_date("Sun, 06 nov 1994 08:49:37 GMT"), None, "month names are case-sensitive");
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date(""), None);
    }

    #[test]
    fn times_of_day_and_input_values_are_in_the_site_zone() {
        let at: Timestamp = "2024-06-27T22:05:59Z".parse().unwrap();
        assert_eq!(time_of_day(at, &istanbul()), "01:05");
        assert_eq!(time_of_day(at, &TimeZone::UTC), "22:05");
        assert_eq!(datetime_local(at, &istanbul()), "2024-06-28T01:05");
        assert_eq!(datetime_local(at, &TimeZone::UTC), "2024-06-27T22:05");
        let civil: jiff::civil::DateTime = datetime_local(at, &istanbul()).parse().unwrap();
        assert_eq!(istanbul().to_timestamp(civil).unwrap(), "2024-06-27T22:05:00Z".parse().unwrap(), "reads back");
    }
}
