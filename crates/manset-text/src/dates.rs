//! Dates as readers read them: `28 Haziran 2024 Cuma` in Turkish,
//! `Friday, 28 June 2024` in English, always in the site's time zone.
//!
//! Machine-readable forms (`<time datetime>`, feeds) are not language
//! dependent and are produced here too, so every page formats time one way.

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
    let dt = tz.to_datetime(at);
    format!("{} {:02}:{:02}", long_date(at, tz, lang), dt.hour(), dt.minute())
}

/// A short date for lists and cards: `28.06.2024` in Turkish, `28 Jun 2024`
/// in English.
pub fn short_date(at: Timestamp, tz: &TimeZone, lang: Lang) -> String {
    let dt = tz.to_datetime(at);
    match lang {
        Lang::Tr => format!("{:02}.{:02}.{}", dt.day(), dt.month(), dt.year()),
        Lang::En => format!("{} {} {}", dt.day(), &month_name(dt.month(), lang)[..3], dt.year()),
    }
}

/// RFC 3339 with the site's offset, for `<time datetime="…">` and Atom:
/// `2024-06-28T14:05:00+03:00`.
pub fn rfc3339(at: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(at);
    let dt = offset.to_datetime(at);
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        sign,
        secs / 3600,
        (secs % 3600) / 60
    )
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
}
