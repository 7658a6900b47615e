//! Cadences (`2w`, `3m`, `monthly`, ...) and the calendar arithmetic behind due dates.

use chrono::{Datelike, Days, Months, NaiveDate};
use std::fmt;

/// How often a partner should get attention, or any other span of days, weeks, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cadence {
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
}

/// Why a cadence string was refused, with a hint for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceError {
    pub message: String,
    pub hint: String,
}

const WORDS: [(&str, Cadence); 5] = [
    ("weekly", Cadence::Weeks(1)),
    ("biweekly", Cadence::Weeks(2)),
    ("monthly", Cadence::Months(1)),
    ("quarterly", Cadence::Months(3)),
    ("yearly", Cadence::Years(1)),
];

/// The longest cadence or span: longer ones would carry due dates past the year 9999, which
/// neither `YYYY-MM-DD` nor calendar apps can hold.
const MAX_YEARS: u64 = 100;
const MAX_DAYS: u64 = MAX_YEARS * 366;

/// The last day a computed date may fall on (the last one `YYYY-MM-DD` can write).
fn latest_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date")
}

const GRAMMAR_HINT: &str =
    "write a number and a unit (10d, 2w, 3m, 1y) or one of weekly, biweekly, monthly, quarterly, yearly";

impl Cadence {
    /// Parses `Nd`, `Nw`, `Nm`, `Ny` (N >= 1) or one of the cadence words.
    pub fn parse(text: &str) -> Result<Cadence, CadenceError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        if let Some((_, cadence)) = WORDS.iter().find(|(word, _)| *word == lower) {
            return Ok(*cadence);
        }
        let refuse = |message: String, hint: String| Err(CadenceError { message, hint });
        let Some(unit) = lower.chars().last() else {
            return refuse("empty cadence".into(), GRAMMAR_HINT.into());
        };
        let digits = &lower[..lower.len() - unit.len_utf8()];
        let number = digits.trim();
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return refuse(format!("`{text}` is not a cadence"), suggest_hint(&lower));
        }
        let Ok(n) = number.parse::<u32>() else {
            return refuse(
                format!("`{text}` is too long a cadence"),
                GRAMMAR_HINT.into(),
            );
        };
        if n == 0 {
            return refuse(
                format!("`{text}` is a cadence of zero"),
                "a cadence must be at least one day, e.g. 1d or 1w".into(),
            );
        }
        let (cadence, days_per_unit) = match unit {
            'd' => (Cadence::Days(n), 1),
            'w' => (Cadence::Weeks(n), 7),
            'm' => (Cadence::Months(n), 31),
            'y' => (Cadence::Years(n), 366),
            _ => {
                return refuse(
                    format!("`{text}` has an unknown unit"),
                    suggest_hint(&lower),
                )
            }
        };
        if u64::from(n) * days_per_unit > MAX_DAYS {
            return refuse(
                format!("`{text}` is longer than {MAX_YEARS} years"),
                format!("a cadence or span is at most {MAX_YEARS} years, e.g. `{MAX_YEARS}y`"),
            );
        }
        Ok(cadence)
    }

    /// A span to look ahead (`--within`, `--due-within`): a cadence, or zero (`0d`, `0w`), which
    /// means today and what is overdue.
    pub fn parse_span(text: &str) -> Result<Cadence, CadenceError> {
        let lower = text.trim().to_ascii_lowercase();
        let zero = lower
            .strip_suffix(['d', 'w', 'm', 'y'])
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b == b'0'));
        if zero {
            return Ok(Cadence::Days(0));
        }
        Cadence::parse(text)
    }

    /// A day (`2026-12-15`) or a span from `today` (`2w`), for arguments that take either.
    pub fn day_or_span(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
        if let Ok(day) = crate::dates::parse_day_only(text) {
            return Ok(day);
        }
        Cadence::parse_span(text)
            .map(|span| span.add_to(today))
            .map_err(|e| {
                format!(
                    "not a day (YYYY-MM-DD) or a span: {} ({})",
                    e.message, e.hint
                )
            })
    }

    /// `date` moved forward by this cadence; months and years clamp to the month's end
    /// (2026-01-31 + 1m = 2026-02-28, 2024-02-29 + 1y = 2025-02-28), and nothing goes past
    /// 9999-12-31.
    pub fn add_to(self, date: NaiveDate) -> NaiveDate {
        let moved = match self {
            Cadence::Days(n) => date.checked_add_days(Days::new(n.into())),
            Cadence::Weeks(n) => date.checked_add_days(Days::new(u64::from(n) * 7)),
            Cadence::Months(n) => date.checked_add_months(Months::new(n)),
            Cadence::Years(n) => date.checked_add_months(Months::new(n.saturating_mul(12))),
        };
        moved.unwrap_or(NaiveDate::MAX).min(latest_day())
    }

    /// `date` moved back by this cadence, clamped like [`Cadence::add_to`].
    pub fn subtract_from(self, date: NaiveDate) -> NaiveDate {
        let moved = match self {
            Cadence::Days(n) => date.checked_sub_days(Days::new(n.into())),
            Cadence::Weeks(n) => date.checked_sub_days(Days::new(u64::from(n) * 7)),
            Cadence::Months(n) => date.checked_sub_months(Months::new(n)),
            Cadence::Years(n) => date.checked_sub_months(Months::new(n.saturating_mul(12))),
        };
        moved.unwrap_or(NaiveDate::MIN)
    }

    /// A rough length in days, for choosing look-ahead windows and sorting.
    pub fn approx_days(self) -> i64 {
        let start = NaiveDate::from_ymd_opt(2001, 1, 1).expect("valid date");
        (self.add_to(start) - start).num_days()
    }
}

/// Suggests the grammar, with a concrete rewrite for phrases like `3 weeks` or `fortnightly`.
fn suggest_hint(lower: &str) -> String {
    if lower.contains("fortnight") {
        return "write `2w` or `biweekly`".into();
    }
    let mut parts = lower.split_whitespace();
    if let (Some(n), Some(word), None) = (parts.next(), parts.next(), parts.next()) {
        if n.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(unit) = word.chars().next().filter(|c| "dwmy".contains(*c)) {
                return format!("write it as `{n}{unit}`");
            }
        }
    }
    GRAMMAR_HINT.into()
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Days(n) => write!(f, "{n}d"),
            Cadence::Weeks(n) => write!(f, "{n}w"),
            Cadence::Months(n) => write!(f, "{n}m"),
            Cadence::Years(n) => write!(f, "{n}y"),
        }
    }
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The first day of the week holding `day`, for weeks starting on `start`.
pub fn week_start(day: NaiveDate, start: chrono::Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - start.num_days_from_monday()) % 7;
    day - Days::new(back.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_units_and_words() {
        assert_eq!(Cadence::parse("10d"), Ok(Cadence::Days(10)));
        assert_eq!(Cadence::parse("2w"), Ok(Cadence::Weeks(2)));
        assert_eq!(Cadence::parse("3m"), Ok(Cadence::Months(3)));
        assert_eq!(Cadence::parse("1y"), Ok(Cadence::Years(1)));
        assert_eq!(Cadence::parse(" Biweekly "), Ok(Cadence::Weeks(2)));
        assert_eq!(Cadence::parse("quarterly"), Ok(Cadence::Months(3)));
    }

    #[test]
    fn refuses_bad_cadences_with_hints() {
        for bad in ["2x", "", "w", "0d", "-1d", "1.5w", "99999999999d"] {
            assert!(Cadence::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            Cadence::parse("3 weeks").unwrap_err().hint,
            "write it as `3w`"
        );
        assert_eq!(
            Cadence::parse("fortnightly").unwrap_err().hint,
            "write `2w` or `biweekly`"
        );
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(Cadence::Months(1).add_to(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Cadence::Months(1).add_to(d("2024-01-31")), d("2024-02-29"));
        assert_eq!(Cadence::Months(3).add_to(d("2026-11-30")), d("2027-02-28"));
        assert_eq!(Cadence::Months(1).add_to(d("2026-03-31")), d("2026-04-30"));
    }

    #[test]
    fn years_handle_leap_days() {
        assert_eq!(Cadence::Years(1).add_to(d("2024-02-29")), d("2025-02-28"));
        assert_eq!(Cadence::Years(4).add_to(d("2024-02-29")), d("2028-02-29"));
        assert_eq!(
            Cadence::Years(1).subtract_from(d("2024-02-29")),
            d("2023-02-28")
        );
    }

    #[test]
    fn days_and_weeks_cross_month_and_year() {
        assert_eq!(Cadence::Weeks(2).add_to(d("2026-12-25")), d("2027-01-08"));
        assert_eq!(Cadence::Days(1).add_to(d("2028-02-28")), d("2028-02-29"));
        assert_eq!(
            Cadence::Days(180).subtract_from(d("2026-11-23")),
            d("2026-05-27")
        );
    }

    #[test]
    fn week_start_respects_the_configured_day() {
        use chrono::Weekday;
        assert_eq!(week_start(d("2026-11-25"), Weekday::Mon), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-23"), Weekday::Mon), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-25"), Weekday::Sun), d("2026-11-22"));
        assert_eq!(week_start(d("2026-11-22"), Weekday::Sun), d("2026-11-22"));
    }

    #[test]
    fn cadences_and_spans_stay_within_what_dates_can_hold() {
        for too_long in ["99999999d", "5300w", "1300m", "101y"] {
            let error = Cadence::parse(too_long).unwrap_err();
            assert!(
                error.message.contains("longer than 100 years"),
                "{too_long}"
            );
            assert!(Cadence::parse_span(too_long).is_err());
        }
        assert_eq!(Cadence::parse("100y"), Ok(Cadence::Years(100)));
        let late = NaiveDate::from_ymd_opt(9990, 1, 1).unwrap();
        assert_eq!(Cadence::Years(100).add_to(late), latest_day());
        assert_eq!(Cadence::parse_span("0d"), Ok(Cadence::Days(0)));
    }
}
