//! iCalendar (RFC 5545) output for reminders: all-day events or to-dos, folded and escaped.

use chrono::NaiveDate;

/// The longest physical line allowed, in octets, not counting the CRLF.
const MAX_LINE: usize = 75;

/// One reminder as a calendar entry.
pub struct Entry {
    /// Stable identity (already unique and stable; you only escape/fold it as needed).
    pub uid: String,
    /// The all-day date of the event (DTSTART;VALUE=DATE) or the to-do's DUE date.
    pub date: NaiveDate,
    /// One-line title (TEXT-escaped on output).
    pub summary: String,
    /// Longer notes (TEXT-escaped on output; newlines become `\n`).
    pub description: String,
}

/// Which calendar component each entry becomes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Component {
    /// An all-day `VEVENT`, shown as free time.
    Event,
    /// A `VTODO` due on the entry's date.
    Todo,
}

/// The whole calendar. `stamp` is the day used for DTSTAMP (as `YYYYMMDDT000000Z`), so the same
/// input gives the same bytes.
pub fn calendar(entries: &[Entry], component: Component, stamp: NaiveDate) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//partner-vault//vault//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Partner reminders",
    ] {
        push_line(&mut out, line);
    }
    let stamp = format!("DTSTAMP:{}T000000Z", ymd(stamp));
    let name = match component {
        Component::Event => "VEVENT",
        Component::Todo => "VTODO",
    };
    for entry in entries {
        push_line(&mut out, &format!("BEGIN:{name}"));
        push_line(&mut out, &format!("UID:{}", escape(&entry.uid)));
        push_line(&mut out, &stamp);
        match component {
            Component::Event => {
                push_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", ymd(entry.date)));
                // Without DTEND an all-day event still lasts one day (RFC 5545 3.6.1).
                if let Some(end) = entry.date.succ_opt() {
                    push_line(&mut out, &format!("DTEND;VALUE=DATE:{}", ymd(end)));
                }
            }
            Component::Todo => {
                push_line(&mut out, &format!("DUE;VALUE=DATE:{}", ymd(entry.date)));
            }
        }
        push_line(&mut out, &format!("SUMMARY:{}", escape(&entry.summary)));
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape(&entry.description)),
        );
        match component {
            Component::Event => push_line(&mut out, "TRANSP:TRANSPARENT"),
            Component::Todo => push_line(&mut out, "STATUS:NEEDS-ACTION"),
        }
        push_line(&mut out, &format!("END:{name}"));
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// A DATE value: `YYYYMMDD`.
fn ymd(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// Escapes a TEXT value: `\` `;` `,` and newlines (`\n`, `\r\n`, lone `\r`); drops other controls.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded to at most 75 octets per physical line, ending in CRLF.
///
/// Breaks fall only between characters and never inside a backslash escape such as `\,`;
/// continuation lines start with a single space.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    let mut chars = line.char_indices();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        if c == '\\' {
            if let Some((i, next)) = chars.next() {
                end = i + next.len_utf8();
            }
        }
        let unit = &line[start..end];
        if used + unit.len() > MAX_LINE {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push_str(unit);
        used += unit.len();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{Calendar, CalendarComponent, Component as _, DatePerhapsTime};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn entry(uid: &str, date: NaiveDate, summary: &str, description: &str) -> Entry {
        Entry {
            uid: uid.into(),
            date,
            summary: summary.into(),
            description: description.into(),
        }
    }

    /// 300 characters mixing ASCII, emoji, Arabic, Hebrew, CJK and characters needing escapes.
    fn unusual() -> String {
        let pieces = "Call Ana, re: podcast; 🤝🎙️ مرحبا بالعالم שלום עולם 你好世界 a\\b ";
        let text: String = pieces.chars().cycle().take(300).collect();
        assert_eq!(text.chars().count(), 300);
        text
    }

    const HEAD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partner-vault//vault//EN\r\n\
        CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Partner reminders\r\n";

    #[test]
    fn one_event_exactly() {
        let entries = [entry("a@vault", day(2024, 2, 29), "Call Ana", "Follow up")];
        let got = calendar(&entries, Component::Event, day(2024, 1, 2));
        let want = format!(
            "{HEAD}BEGIN:VEVENT\r\nUID:a@vault\r\nDTSTAMP:20240102T000000Z\r\n\
             DTSTART;VALUE=DATE:20240229\r\nDTEND;VALUE=DATE:20240301\r\nSUMMARY:Call Ana\r\n\
             DESCRIPTION:Follow up\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn one_todo_exactly() {
        let entries = [entry("b@vault", day(2024, 12, 31), "Send deck", "")];
        let got = calendar(&entries, Component::Todo, day(2024, 1, 2));
        let want = format!(
            "{HEAD}BEGIN:VTODO\r\nUID:b@vault\r\nDTSTAMP:20240102T000000Z\r\n\
             DUE;VALUE=DATE:20241231\r\nSUMMARY:Send deck\r\nDESCRIPTION:\r\n\
             STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn empty_calendar_is_valid() {
        let got = calendar(&[], Component::Event, day(2024, 1, 2));
        assert_eq!(got, format!("{HEAD}END:VCALENDAR\r\n"));
        let parsed: Calendar = got.parse().unwrap();
        assert!(parsed.components.is_empty());
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape(r"a,b;c\d"), r"a\,b\;c\\d");
        assert_eq!(escape("1\n2\r\n3\r4"), r"1\n2\n3\n4");
        assert_eq!(escape("tab\there\u{7}bell\u{85}"), "tabherebell");
        assert_eq!(escape(r"\n is not a newline"), r"\\n is not a newline");
        let entries = [entry("x,y;z", day(2024, 1, 1), "a, b; c\\", "l1\nl2")];
        let out = calendar(&entries, Component::Todo, day(2024, 1, 1));
        assert!(out.contains("\r\nUID:x\\,y\\;z\r\n"));
        assert!(out.contains("\r\nSUMMARY:a\\, b\\; c\\\\\r\n"));
        assert!(out.contains("\r\nDESCRIPTION:l1\\nl2\r\n"));
    }

    #[test]
    fn folds_by_octets_on_char_and_escape_boundaries() {
        let summary = unusual();
        let entries = [entry("u", day(2024, 5, 1), &summary, "")];
        let out = calendar(&entries, Component::Event, day(2024, 1, 1));
        assert!(out.ends_with("\r\n"));
        let body = out.strip_suffix("\r\n").unwrap();
        // No stray CR or LF: every line break is a CRLF.
        assert_eq!(body.matches('\n').count(), body.matches("\r\n").count());
        assert_eq!(body.matches('\r').count(), body.matches("\r\n").count());
        let mut continuations = 0;
        for line in body.split("\r\n") {
            assert!(line.len() <= MAX_LINE, "too long: {line:?}");
            assert!(std::str::from_utf8(line.as_bytes()).is_ok());
            assert_no_split_escape(line);
            // Either a continuation (one space, removed on unfolding) or a new property name.
            match line.as_bytes().first() {
                Some(b' ') => continuations += 1,
                first => assert!(first.is_some_and(u8::is_ascii_uppercase), "{line:?}"),
            }
        }
        let want = format!("SUMMARY:{}", escape(&summary));
        assert!(
            continuations >= want.len() / MAX_LINE,
            "expected a folded summary"
        );
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("\r\n{want}\r\n")));
    }

    /// A physical line ending in an odd run of backslashes would split an escape pair.
    fn assert_no_split_escape(line: &str) {
        let backslashes = line.len() - line.trim_end_matches('\\').len();
        assert_eq!(backslashes % 2, 0, "split escape: {line:?}");
    }

    #[test]
    fn fold_never_splits_an_escape() {
        for pad in 0..4 {
            let line = format!("SUMMARY:{}{}", "x".repeat(66 + pad), r"\,\;\\\n".repeat(3));
            let mut out = String::new();
            push_line(&mut out, &line);
            for physical in out.trim_end_matches("\r\n").split("\r\n") {
                assert!(physical.len() <= MAX_LINE);
                assert_no_split_escape(physical);
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
        }
    }

    #[test]
    fn real_parser_reads_it_back() {
        let summary = unusual();
        let description = "Line one, with comma\nLine two; semi\\colon\r\nend 🤝";
        let entries = [
            entry("one@vault", day(2024, 5, 1), &summary, description),
            entry("two,3@vault", day(2024, 5, 2), "Plain", ""),
        ];
        for component in [Component::Event, Component::Todo] {
            let out = calendar(&entries, component, day(2024, 1, 1));
            let unfolded = icalendar::parser::unfold(&out);
            let low = icalendar::parser::read_calendar(&unfolded).unwrap();
            assert_eq!(low.components.len(), entries.len());
            let parsed: Calendar = out.parse().unwrap();
            assert_eq!(parsed.components.len(), entries.len());
            for (got, want) in parsed.components.iter().zip(&entries) {
                match (got, component) {
                    (CalendarComponent::Event(e), Component::Event) => {
                        assert_eq!(e.get_start(), Some(DatePerhapsTime::Date(want.date)));
                        assert_round_trip(e, want);
                    }
                    (CalendarComponent::Todo(t), Component::Todo) => {
                        assert_eq!(t.get_due(), Some(DatePerhapsTime::Date(want.date)));
                        assert_round_trip(t, want);
                    }
                    other => panic!("wrong component: {other:?}"),
                }
            }
        }
    }

    /// The parser unescapes TEXT properties (SUMMARY, DESCRIPTION, UID), so originals come back.
    fn assert_round_trip(got: &impl icalendar::Component, want: &Entry) {
        assert_eq!(got.get_summary(), Some(want.summary.as_str()));
        assert_eq!(got.get_uid(), Some(want.uid.as_str()));
        let newlines = want.description.replace("\r\n", "\n");
        assert_eq!(got.get_description(), Some(newlines.as_str()));
        assert!(got.get_timestamp().is_some());
    }

    #[test]
    fn deterministic() {
        let entries = [
            entry("one", day(2024, 5, 1), &unusual(), "d"),
            entry("two", day(2024, 5, 2), "s", "d"),
        ];
        for component in [Component::Event, Component::Todo] {
            let a = calendar(&entries, component, day(2024, 1, 1));
            let b = calendar(&entries, component, day(2024, 1, 1));
            assert_eq!(a, b);
        }
    }
}
