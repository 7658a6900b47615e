//! Meetings from an iCalendar file (RFC 5545, as Google, Outlook and Apple export it): every
//! `VEVENT` with its occurrences inside a window of days, recurrences expanded by the `rrule`
//! crate, `EXDATE`s and cancelled events left out, moved or changed instances
//! (`RECURRENCE-ID`) put in place of the ones they replace. Content lines are read by the same
//! reader as vCards (folding, parameters, escapes).

use super::vcard::{properties, Property};
use super::Problem;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Someone on an event: an attendee or the organiser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    /// Lowercase, without `mailto:`; empty when the calendar gives none.
    pub email: String,
    /// The `CN` parameter: the name the calendar shows.
    pub name: String,
}

/// One occurrence of an event, on the day it takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// The input line of the `BEGIN:VEVENT` it comes from.
    pub line: usize,
    pub uid: String,
    /// For an occurrence of a recurring event: the day it was first planned for (its
    /// `RECURRENCE-ID`), which stays its identity when it is moved. `None` for a single event.
    pub occurrence: Option<NaiveDate>,
    /// The day it takes place.
    pub date: NaiveDate,
    pub title: String,
    pub description: String,
    /// The organiser first, then the attendees who did not decline.
    pub guests: Vec<Guest>,
}

/// What was read: the meetings inside the window, in date then UID order, and what was left.
#[derive(Debug, Default)]
pub struct Calendar {
    pub meetings: Vec<Meeting>,
    /// Cancelled events and occurrences, as `(line, why)`.
    pub cancelled: Vec<(usize, String)>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

/// The days whose meetings are read, both included.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// When an event starts, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// An all-day event (`VALUE=DATE`).
    Day(NaiveDate),
    /// A time in UTC (`...Z`), shown on the day it is in the display zone.
    Utc(NaiveDateTime),
    /// A local time: in a known zone, or floating (no zone, or one this reader does not know).
    Local(NaiveDateTime, Option<chrono_tz::Tz>),
}

impl Start {
    /// The day it is on: its own day, or for a UTC time the day in `display`.
    fn day(self, display: chrono_tz::Tz) -> NaiveDate {
        match self {
            Start::Day(day) => day,
            Start::Utc(time) => display.from_utc_datetime(&time).date_naive(),
            Start::Local(time, _) => time.date(),
        }
    }
}

/// One `VEVENT`'s properties.
struct Event {
    line: usize,
    properties: Vec<Property>,
}

impl Event {
    fn first(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }

    fn is_cancelled(&self) -> bool {
        self.first("STATUS")
            .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("CANCELLED"))
    }
}

/// The most occurrences one recurring event yields inside the window (a daily event over a
/// year is 366).
const MAX_OCCURRENCES: u16 = 5000;

/// Reads the meetings of `text` that take place within `window`. Times in UTC are put on the
/// day they are in `zone` (else the calendar's `X-WR-TIMEZONE`, else UTC).
pub fn read(text: &str, window: Window, zone: Option<chrono_tz::Tz>) -> anyhow::Result<Calendar> {
    let properties = properties(text);
    if !properties
        .iter()
        .any(|p| p.name == "BEGIN" && p.value.trim().eq_ignore_ascii_case("VCALENDAR"))
    {
        anyhow::bail!(
            "no `BEGIN:VCALENDAR` line: this is not an iCalendar file\nhint: export the \
             calendar as .ics (Google Calendar: Settings, Import and export; Outlook: Save \
             calendar; Apple Calendar: File, Export)"
        );
    }
    let mut calendar = Calendar::default();
    let display = zone
        .or_else(|| {
            properties
                .iter()
                .find(|p| p.name == "X-WR-TIMEZONE")
                .and_then(|p| chrono_tz::Tz::from_str(p.value.trim()).ok())
        })
        .unwrap_or(chrono_tz::UTC);
    let mut events = Vec::new();
    let mut depth: Vec<String> = Vec::new();
    let mut current: Option<Event> = None;
    for property in properties {
        let value = property.value.trim().to_ascii_uppercase();
        match property.name.as_str() {
            "BEGIN" => {
                if value == "VEVENT" && current.is_none() {
                    current = Some(Event {
                        line: property.line,
                        properties: Vec::new(),
                    });
                } else if current.is_some() {
                    depth.push(value); // a VALARM inside the event
                }
            }
            "END" if current.is_some() => {
                if depth.pop().is_none() && value == "VEVENT" {
                    events.push(current.take().expect("in an event"));
                }
            }
            _ => {
                if let Some(event) = current.as_mut().filter(|_| depth.is_empty()) {
                    event.properties.push(property);
                }
            }
        }
    }
    if let Some(event) = current {
        calendar.problems.push(Problem::at(
            event.line,
            "the event has no `END:VEVENT`; skipped (is the file cut short?)",
        ));
    }
    let mut unknown_zones = BTreeSet::new();
    // The changed instances of recurring events, by UID and the day they replace.
    let mut overrides: BTreeMap<(String, NaiveDate), &Event> = BTreeMap::new();
    let mut masters = Vec::new();
    for event in &events {
        let Some(uid) = event
            .first("UID")
            .map(|u| u.text())
            .filter(|u| !u.is_empty())
        else {
            calendar
                .problems
                .push(Problem::at(event.line, "the event has no UID; skipped"));
            continue;
        };
        match event.first("RECURRENCE-ID") {
            Some(id) => match start_of(id, &mut unknown_zones) {
                Ok(start) => {
                    overrides.insert((uid, start.day(display)), event);
                }
                Err(why) => calendar.problems.push(Problem::at(
                    id.line,
                    format!("RECURRENCE-ID: {why}; skipped"),
                )),
            },
            None => masters.push((uid, event)),
        }
    }
    let mut replaced = BTreeSet::new();
    for (uid, event) in masters {
        let Some(dtstart) = event.first("DTSTART") else {
            calendar
                .problems
                .push(Problem::at(event.line, "the event has no DTSTART; skipped"));
            continue;
        };
        let start = match start_of(dtstart, &mut unknown_zones) {
            Ok(start) => start,
            Err(why) => {
                calendar.problems.push(Problem::at(
                    dtstart.line,
                    format!("DTSTART: {why}; skipped"),
                ));
                continue;
            }
        };
        if event.is_cancelled() {
            calendar
                .cancelled
                .push((event.line, "the event is cancelled".into()));
            continue;
        }
        let Some(rule) = event.first("RRULE") else {
            let date = start.day(display);
            if within(window, date) {
                calendar.meetings.push(meeting(event, &uid, None, date));
            }
            continue;
        };
        let days = match occurrences(start, &rule.value, window, display) {
            Ok(days) => days,
            Err(why) => {
                calendar
                    .problems
                    .push(Problem::at(rule.line, format!("RRULE: {why}; skipped")));
                continue;
            }
        };
        let mut excluded = BTreeSet::new();
        for exdate in event.all("EXDATE") {
            for value in exdate.value.split(',') {
                let single = Property {
                    value: value.to_string(),
                    ..exdate.clone()
                };
                match start_of(&single, &mut unknown_zones) {
                    Ok(start) => {
                        excluded.insert(start.day(display));
                    }
                    Err(why) => calendar
                        .problems
                        .push(Problem::at(exdate.line, format!("EXDATE: {why}; left out"))),
                }
            }
        }
        for day in days.into_iter().filter(|d| !excluded.contains(d)) {
            let key = (uid.clone(), day);
            match overrides.get(&key) {
                Some(changed) => {
                    replaced.insert(key);
                    if changed.is_cancelled() {
                        calendar.cancelled.push((
                            changed.line,
                            format!("the occurrence of {day} is cancelled"),
                        ));
                        continue;
                    }
                    let date = changed
                        .first("DTSTART")
                        .and_then(|s| start_of(s, &mut unknown_zones).ok())
                        .map_or(day, |s| s.day(display));
                    if within(window, date) {
                        let m = meeting(changed, &uid, Some(day), date);
                        calendar.meetings.push(m);
                    }
                }
                None => {
                    let m = meeting(event, &uid, Some(day), day);
                    calendar.meetings.push(m);
                }
            }
        }
    }
    // A changed instance whose day the rule does not give (its first day was outside the
    // window, or the master is not in the file) still counts where it takes place.
    for ((uid, day), changed) in &overrides {
        if replaced.contains(&(uid.clone(), *day)) || changed.is_cancelled() {
            continue;
        }
        let date = changed
            .first("DTSTART")
            .and_then(|s| start_of(s, &mut unknown_zones).ok())
            .map_or(*day, |s| s.day(display));
        if within(window, date) {
            let m = meeting(changed, uid, Some(*day), date);
            calendar.meetings.push(m);
        }
    }
    if !unknown_zones.is_empty() {
        let zones: Vec<String> = unknown_zones.into_iter().collect();
        calendar.notes.push(format!(
            "time zones not known: {}; their times were read as local times (the day is \
             right unless the zone's name is)",
            zones.join(", ")
        ));
    }
    calendar
        .meetings
        .sort_by(|a, b| (a.date, &a.uid, a.occurrence).cmp(&(b.date, &b.uid, b.occurrence)));
    Ok(calendar)
}

fn within(window: Window, day: NaiveDate) -> bool {
    window.from <= day && day <= window.until
}

fn meeting(event: &Event, uid: &str, occurrence: Option<NaiveDate>, date: NaiveDate) -> Meeting {
    let guest = |p: &Property| Guest {
        email: super::matching::email_key(&p.text()),
        name: p
            .param("CN")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .to_string(),
    };
    let declined = |p: &&Property| {
        p.param("PARTSTAT")
            .any(|s| s.trim().eq_ignore_ascii_case("DECLINED"))
    };
    let guests = event
        .first("ORGANIZER")
        .into_iter()
        .chain(event.all("ATTENDEE").filter(|p| !declined(p)))
        .map(guest)
        .collect();
    Meeting {
        line: event.line,
        uid: uid.to_string(),
        occurrence,
        date,
        title: event
            .first("SUMMARY")
            .map(Property::text)
            .unwrap_or_default(),
        description: event
            .first("DESCRIPTION")
            .map(Property::text)
            .unwrap_or_default(),
        guests,
    }
}

/// A `DTSTART`, `RECURRENCE-ID` or one `EXDATE` value: a day, a UTC time, or a local time
/// (its `TZID` noted in `unknown` when no zone of that name exists).
fn start_of(property: &Property, unknown: &mut BTreeSet<String>) -> Result<Start, String> {
    let value = property.value.trim();
    let is_day = property
        .param("VALUE")
        .any(|v| v.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
    if is_day {
        return NaiveDate::parse_from_str(value, "%Y%m%d")
            .map(Start::Day)
            .map_err(|_| format!("`{value}` is not a day like 20261123"));
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, true),
        None => (value, false),
    };
    let time = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("`{value}` is not a time like 20261123T093000"))?;
    if utc {
        return Ok(Start::Utc(time));
    }
    let zone = property
        .param("TZID")
        .next()
        .map(|z| z.trim().trim_matches('"'));
    Ok(match zone {
        None => Start::Local(time, None),
        Some(name) => match chrono_tz::Tz::from_str(name) {
            Ok(zone) => Start::Local(time, Some(zone)),
            Err(_) => {
                unknown.insert(name.to_string());
                Start::Local(time, None)
            }
        },
    })
}

/// The days a recurring event takes place on within the window (before `EXDATE`s): its rule
/// expanded from its start, in its own zone (floating and all-day times as UTC, which keeps
/// their days).
fn occurrences(
    start: Start,
    rule: &str,
    window: Window,
    display: chrono_tz::Tz,
) -> Result<Vec<NaiveDate>, String> {
    let (time, zone, utc) = match start {
        Start::Day(day) => (day.and_hms_opt(0, 0, 0).expect("midnight"), None, false),
        Start::Utc(time) => (time, None, true),
        Start::Local(time, zone) => (time, zone, false),
    };
    let zone_name = zone.map_or("UTC".to_string(), |z| z.name().to_string());
    let text = format!(
        "DTSTART;TZID={zone_name}:{}\nRRULE:{}",
        time.format("%Y%m%dT%H%M%S"),
        rule.trim()
    );
    let set: rrule::RRuleSet = text.parse().map_err(|e: rrule::RRuleError| e.to_string())?;
    let bound = |day: NaiveDate, days: i64| {
        let time = day.and_hms_opt(0, 0, 0).expect("midnight") + chrono::Duration::days(days);
        rrule::Tz::UTC.from_utc_datetime(&time)
    };
    let result = set
        .after(bound(window.from, -2))
        .before(bound(window.until, 2))
        .all(MAX_OCCURRENCES);
    let mut days: Vec<NaiveDate> = result
        .dates
        .iter()
        .map(|at| {
            if utc {
                at.with_timezone(&display).date_naive()
            } else {
                at.naive_local().date()
            }
        })
        .filter(|day| within(window, *day))
        .collect();
    days.dedup();
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    const WINDOW: Window = Window {
        from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        until: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    };

    fn calendar(events: &str) -> Calendar {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n");
        read(&text, WINDOW, None).unwrap()
    }

    #[test]
    fn a_weekly_meeting_is_expanded_without_its_exdates_and_with_its_moves() {
        let cal = calendar(
            "BEGIN:VEVENT\r\nUID:w1\r\nSUMMARY:Sync\r\nDTSTART;TZID=Europe/Berlin:20261002T\
             090000\r\nRRULE:FREQ=WEEKLY;BYDAY=FR\r\nEXDATE;TZID=Europe/Berlin:20261113T090000\
             \r\nATTENDEE;CN=Ana:mailto:Ana@X.org\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n\
             END:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:w1\r\nRECURRENCE-ID;TZID=Europe/\
             Berlin:20261120T090000\r\nDTSTART;TZID=Europe/Berlin:20261123T090000\r\n\
             SUMMARY:Sync (moved)\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:w1\r\nRECURRENCE-ID;\
             TZID=Europe/Berlin:20261127T090000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n",
        );
        let got: Vec<(NaiveDate, Option<NaiveDate>, &str)> = cal
            .meetings
            .iter()
            .map(|m| (m.date, m.occurrence, m.title.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (day("2026-11-06"), Some(day("2026-11-06")), "Sync"),
                (day("2026-11-23"), Some(day("2026-11-20")), "Sync (moved)"),
            ]
        );
        assert_eq!(cal.meetings[0].guests[0].email, "ana@x.org");
        assert_eq!(cal.cancelled.len(), 1, "{:?}", cal.cancelled);
    }

    #[test]
    fn utc_times_all_day_events_and_unknown_zones_land_on_their_days() {
        let cal = calendar(
            "BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261105T233000Z\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20261110\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:o\r\nDTSTART;TZID=W. Europe Standard Time:20261112T0900\
             00\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\nSTATUS:CANCELLED\r\nDTSTART:2026\
             1114T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:late\r\nDTSTART:20261205T1\
             00000Z\r\nEND:VEVENT\r\n",
        );
        let days: Vec<NaiveDate> = cal.meetings.iter().map(|m| m.date).collect();
        assert_eq!(
            days,
            [day("2026-11-05"), day("2026-11-10"), day("2026-11-12")]
        );
        assert!(
            cal.notes[0].contains("W. Europe Standard Time"),
            "{:?}",
            cal.notes
        );
        let tokyo = read(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261105T233000Z\r\n\
             END:VEVENT\r\nEND:VCALENDAR\r\n",
            WINDOW,
            Some(chrono_tz::Asia::Tokyo),
        )
        .unwrap();
        assert_eq!(
            tokyo.meetings[0].date,
            day("2026-11-06"),
            "Tokyo is a day ahead"
        );
    }

    #[test]
    fn an_event_without_uid_or_with_a_bad_start_is_a_problem_at_its_line() {
        let cal = calendar(
            "BEGIN:VEVENT\r\nDTSTART:20261105T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n\
             UID:x\r\nDTSTART:2026-11-05\r\nEND:VEVENT\r\n",
        );
        let lines: Vec<usize> = cal.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 8], "{:?}", cal.problems);
    }
}
