//! Calendar dates as people write them: strict `YYYY-MM-DD`, with errors that say what is wrong.

use chrono::{Datelike, NaiveDate};

/// Parses a `YYYY-MM-DD` date. A time after it (`2026-11-02T10:00`, `2026-11-02 10:00`) is
/// allowed and ignored, since only the day matters here.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    // Shorter text, or a cut inside a multi-byte character, is all "day" and fails its shape.
    let (day, rest) = text.split_at_checked(10).unwrap_or((text, ""));
    if !rest.is_empty() && !rest.starts_with(['T', ' ']) {
        return Err(not_a_date(text));
    }
    parse_day(day).map_err(|e| e.unwrap_or_else(|| not_a_date(text)))
}

/// A day written exactly `YYYY-MM-DD`, nothing after it (a command-line argument, say).
pub fn parse_day_only(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).and_then(|date| {
        if text.trim().len() == 10 {
            Ok(date)
        } else {
            Err(format!("`{text}` is not a date in the form YYYY-MM-DD"))
        }
    })
}

/// True when `token` starts like a date (`2026-1-05`, `2026/11/02`, `05/01/2026`), so that a
/// failure to parse it is a mistake rather than ordinary text.
pub fn looks_like_date(token: &str) -> bool {
    let mut groups = 0;
    let mut digits = 0;
    for c in token.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if matches!(c, '-' | '/' | '.') && digits > 0 {
            groups += 1;
            digits = 0;
        } else {
            break;
        }
    }
    groups >= 2 && digits > 0
}

/// `Err(None)` when the shape is wrong, `Err(Some(msg))` when the shape is right but no such day.
fn parse_day(s: &str) -> Result<NaiveDate, Option<String>> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(None);
    }
    let year: i32 = s[0..4].parse().map_err(|_| None)?;
    let month: u32 = s[5..7].parse().map_err(|_| None)?;
    let day: u32 = s[8..10].parse().map_err(|_| None)?;
    if !(1..=12).contains(&month) {
        return Err(Some(format!(
            "`{s}` is not a date: there is no month {month}"
        )));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let last = last_day_of_month(year, month);
        let month_name = MONTHS[month as usize - 1];
        Some(format!(
            "`{s}` is not a date: {month_name} {year} has {last} days"
        ))
    })
}

fn not_a_date(text: &str) -> String {
    format!("`{text}` is not a date in the form YYYY-MM-DD")
}

fn last_day_of_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day())
}

const MONTHS: [&str; 12] = [
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_dates_and_ignores_times() {
        let want = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        assert_eq!(parse_date("2026-11-02"), Ok(want));
        assert_eq!(parse_date(" 2026-11-02 "), Ok(want));
        assert_eq!(parse_date("2026-11-02T10:00"), Ok(want));
        assert_eq!(parse_date("2026-11-02 21:01"), Ok(want));
    }

    #[test]
    fn explains_impossible_days() {
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "`2026-02-30` is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            parse_date("2026-13-45").unwrap_err(),
            "`2026-13-45` is not a date: there is no month 13"
        );
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2026-00-10").is_err());
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in [
            "05/01/2026",
            "2026-1-05",
            "20261105",
            "2026-11-05x",
            "{{date}}",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recognises_date_like_tokens() {
        for token in [
            "2026-1-05",
            "2026-13-45",
            "05/01/2026",
            "2026/11/02",
            "2026-11-02",
        ] {
            assert!(looks_like_date(token), "{token}");
        }
        for token in ["2026", "Q3", "10x", "1.5", "gave:"] {
            assert!(!looks_like_date(token), "{token}");
        }
    }
}

/// Dates in the index cache as day numbers, cheaper to write and read back than text
/// (`#[serde(with = "crate::dates::day_number")]`, and `day_number::option`).
pub mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| D::Error::custom("bad day"))
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            date: &Option<NaiveDate>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => serializer.serialize_some(&date.num_days_from_ce()),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<NaiveDate>, D::Error> {
            Option::<i32>::deserialize(deserializer)?
                .map(|days| {
                    NaiveDate::from_num_days_from_ce_opt(days)
                        .ok_or_else(|| D::Error::custom("bad day"))
                })
                .transpose()
        }
    }
}
