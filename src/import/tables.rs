//! Spreadsheet exports: LinkedIn's `Connections.csv` and any CSV with a header row (Google and
//! Outlook contacts, a hand-made sheet), mapped to partner keys by `--map` or by their column
//! names. The separator is the header line's most frequent of `,` `;` and tab (Excel writes `;`
//! where the decimal mark is a comma).

use super::{Person, Problem, Read};
use crate::dates::parse_date;
use anyhow::{bail, Context as _};
use chrono::NaiveDate;

/// A CSV table: its header and its rows, each with the input line it starts at.
struct Table {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    problems: Vec<Problem>,
}

/// Reads the table whose header is the first line `is_header` accepts (lines before it, such
/// as the notes LinkedIn puts first, are skipped); `None` when no line is.
fn read_table(text: &str, is_header: impl Fn(&[String]) -> bool) -> Option<Table> {
    let mut offset = 0;
    let mut found = None;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let delimiter = sniff(line);
        if is_header(&split_simple(line, delimiter)) {
            found = Some((offset, delimiter));
            break;
        }
        offset += raw.len();
    }
    let (header_offset, delimiter) = found?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(&text.as_bytes()[header_offset..]);
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = line_at(text, header_offset, record.position());
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                if record.len() > header.len() {
                    problems.push(Problem::at(
                        line,
                        format!(
                            "the row has {} values and the header {}; skipped (a separator \
                             inside a value that is not in quotes?)",
                            record.len(),
                            header.len()
                        ),
                    ));
                    continue;
                }
                rows.push((line, record.iter().map(str::to_string).collect()));
            }
            Err(error) => {
                let line = line_at(text, header_offset, error.position());
                problems.push(Problem::at(
                    line,
                    format!("unreadable row: {error}; skipped"),
                ));
            }
        }
    }
    Some(Table {
        header,
        rows,
        problems,
    })
}

/// The input line a record starts at. The reader's own line count is one short after a CRLF
/// (it stops between `\r` and `\n`), so the line is counted from the record's byte offset,
/// past any line ends it starts on.
fn line_at(text: &str, header_offset: usize, position: Option<&csv::Position>) -> usize {
    let Some(position) = position else { return 0 };
    let start = (header_offset + position.byte() as usize).min(text.len());
    let skipped = text[start..]
        .bytes()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    1 + text.as_bytes()[..start + skipped]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The separator a header line uses: the most frequent of `,`, `;` and tab outside quotes.
fn sniff(line: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A header line's cells, for recognising it (quotes dropped).
fn split_simple(line: &str, delimiter: u8) -> Vec<String> {
    line.split(delimiter as char)
        .map(|cell| cell.trim().trim_matches('"').trim().to_string())
        .collect()
}

/// LinkedIn's columns.
const FIRST: &str = "First Name";
const LAST: &str = "Last Name";

/// Reads LinkedIn's `Connections.csv`: `First Name,Last Name,URL,Email Address,Company,
/// Position,Connected On` after a few lines of notes (`URL` is missing from some exports,
/// emails are mostly empty). Each connection gets its LinkedIn URL and email as channels, its
/// company as `org`, its position as `role`, and the day of connecting as `since`.
pub fn linkedin(text: &str) -> anyhow::Result<Read> {
    let is_header = |cells: &[String]| {
        [FIRST, LAST]
            .iter()
            .all(|want| cells.iter().any(|c| c.eq_ignore_ascii_case(want)))
    };
    let Some(table) = read_table(text, is_header) else {
        bail!(
            "no header line `First Name,Last Name,...` found: this is not LinkedIn's \
             Connections.csv\nhint: LinkedIn: Settings, Data privacy, Get a copy of your data, \
             Connections; for another spreadsheet use `vault import csv FILE --map ...`"
        );
    };
    let column = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    };
    let [first, last, url, email, company, position, connected] = [
        FIRST,
        LAST,
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    .map(column);
    let mut read = Read {
        problems: table.problems,
        ..Read::default()
    };
    for (line, row) in &table.rows {
        let cell = |col: Option<usize>| {
            col.and_then(|c| row.get(c))
                .map_or("", |v| v.trim())
                .to_string()
        };
        let name = format!("{} {}", cell(first), cell(last)).trim().to_string();
        if name.is_empty() {
            read.problems.push(Problem::at(
                *line,
                "First Name and Last Name are empty; skipped",
            ));
            continue;
        }
        let mut person = Person {
            line: *line,
            name,
            ..Person::default()
        };
        person.set("org", &cell(company));
        person.set("role", &cell(position));
        person.set("channels.email", &cell(email));
        person.set("channels.linkedin", &cell(url));
        let connected_on = cell(connected);
        if !connected_on.is_empty() {
            match export_date(&connected_on) {
                Some(day) => person.set("since", &day.to_string()),
                None => read.problems.push(Problem::at(
                    *line,
                    format!(
                        "Connected On `{connected_on}` is not a date like `05 Dec 2024`; \
                         imported without `since`"
                    ),
                )),
            }
        }
        read.people.push(person);
    }
    Ok(read)
}

/// A day as exports write it: `05 Dec 2024`, `5 December 2024`, `Dec 5, 2024`, `2024-12-05`.
pub fn export_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    parse_date(text).ok().or_else(|| {
        [
            "%d %b %Y",
            "%d %B %Y",
            "%b %d, %Y",
            "%B %d, %Y",
            "%d-%b-%Y",
            "%Y/%m/%d",
        ]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
    })
}

/// Where a column's values go: a partner key, or a part of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// `name`: columns mapped to it are joined with spaces, in column order.
    Name,
    Tags,
    Aliases,
    /// `note`: free text, the new note's opening paragraph.
    About,
    /// A date key (`since`, `last_contact`, `next`): read as exports write days.
    Date(String),
    /// Any other key, `channels.NAME` for a channel.
    Key(String),
}

/// Keys a column is never imported as: the file and the identity are the vault's to choose,
/// and the rest are worked out from the notes (`vault export` writes them).
const NOT_IMPORTED: [&str; 12] = [
    "path",
    "id",
    "last_touch",
    "due",
    "due_in_days",
    "days_overdue",
    "days_since_touch",
    "gave",
    "got",
    "balance",
    "priority",
    "priority_why",
];

/// A key as `--map` names it: `email`, `phone`, ... are channels; `name`, `tags`, `aliases`
/// and the date keys are read as such; anything else is a front-matter key of that name.
fn target(key: &str) -> Result<Target, String> {
    let key = key.trim();
    let valid = |k: &str| {
        k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    Ok(match key {
        "name" => Target::Name,
        "tags" => Target::Tags,
        "aliases" => Target::Aliases,
        "note" | "notes" | "about" => Target::About,
        "since" | "last_contact" | "next" => Target::Date(key.to_string()),
        "email" | "phone" | "linkedin" | "twitter" | "website" | "instagram" | "youtube"
        | "tiktok" | "mastodon" | "bluesky" => Target::Key(format!("channels.{key}")),
        _ if key.strip_prefix("channels.").is_some_and(valid) => Target::Key(key.to_string()),
        _ if NOT_IMPORTED.contains(&key) => {
            return Err(format!("`{key}` is worked out by vault, not imported"))
        }
        _ if valid(key) => Target::Key(key.to_string()),
        _ => {
            return Err(format!(
                "`{key}` is not a key: use letters, digits, `_` or `-`, or `channels.NAME`"
            ))
        }
    })
}

/// The target a column is taken as without `--map`: the partner keys (as `vault export csv`
/// writes them) and the columns of Google, Outlook and Apple contacts exports.
fn known_column(column: &str) -> Option<Target> {
    let lower = column.trim().to_lowercase();
    let key = match lower.as_str() {
        "name" | "full name" | "display name" | "first name" | "given name" | "middle name"
        | "additional name" | "last name" | "family name" | "surname" => "name",
        "e-mail" | "email address" | "e-mail address" | "e-mail 1 - value" | "email 1"
        | "primary email" => "email",
        "phone" | "mobile" | "mobile phone" | "phone 1 - value" | "primary phone"
        | "business phone" => "phone",
        "company" | "organization" | "organization name" | "organization 1 - name" => "org",
        "title" | "job title" | "position" | "organization title" | "organization 1 - title" => {
            "role"
        }
        "website" | "web page" | "website 1 - value" => "website",
        "labels" | "categories" | "group membership" => "tags",
        "nickname" => "aliases",
        "notes" | "note" => "note",
        _ => {
            // A column written as a key (`location`, `channels.email`): exactly, lowercase.
            let is_key = column
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase())
                && column
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
            return (is_key && !NOT_IMPORTED.contains(&column))
                .then(|| target(column).ok())
                .flatten();
        }
    };
    target(key).ok()
}

/// Reads any CSV with a header row. `map` (`"Name=name,E-mail=email,Company=org"`) says which
/// column goes to which key; without it, columns named as keys or as contacts exports name them
/// are taken, and the others are listed in a note.
pub fn csv(text: &str, map: Option<&str>) -> anyhow::Result<Read> {
    let table = read_table(text, |cells| cells.iter().any(|c| !c.is_empty()))
        .context("the file is empty: no header line")?;
    let mut targets: Vec<Option<Target>> = vec![None; table.header.len()];
    let mut notes = Vec::new();
    match map {
        Some(map) => {
            for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
                let Some((column, key)) = pair.split_once('=') else {
                    bail!(
                        "--map: `{pair}` is not COLUMN=KEY\nhint: e.g. --map \"Name=name,\
                         E-mail=email,Company=org\""
                    );
                };
                let column = column.trim();
                let Some(at) = table
                    .header
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(column))
                else {
                    bail!(
                        "--map: the header has no column `{column}`\nhint: its columns are {}",
                        quoted_list(&table.header)
                    );
                };
                targets[at] = Some(target(key).map_err(|e| anyhow::anyhow!("--map: {e}"))?);
            }
        }
        None => {
            for (at, column) in table.header.iter().enumerate() {
                targets[at] = known_column(column);
            }
            // A full-name column wins over the parts of a name.
            let full = table.header.iter().position(|h| {
                ["name", "full name", "display name"].contains(&h.to_lowercase().as_str())
            });
            if let Some(full) = full {
                for (at, t) in targets.iter_mut().enumerate() {
                    if at != full && *t == Some(Target::Name) {
                        *t = None;
                    }
                }
            }
            let ignored: Vec<String> = table
                .header
                .iter()
                .zip(&targets)
                .filter(|(h, t)| t.is_none() && !h.is_empty())
                .map(|(h, _)| h.clone())
                .collect();
            if !ignored.is_empty() {
                notes.push(format!(
                    "columns not imported: {} (take one with --map \"COLUMN=KEY\")",
                    quoted_list(&ignored)
                ));
            }
        }
    }
    if !targets.contains(&Some(Target::Name)) {
        bail!(
            "no column gives the name\nhint: map one, e.g. --map \"Full Name=name\"; the columns \
             are {}",
            quoted_list(&table.header)
        );
    }
    let mut read = Read {
        problems: table.problems,
        notes,
        ..Read::default()
    };
    for (line, row) in &table.rows {
        if let Some(person) = person_of(*line, row, &table.header, &targets, &mut read.problems) {
            read.people.push(person);
        }
    }
    Ok(read)
}

fn person_of(
    line: usize,
    row: &[String],
    header: &[String],
    targets: &[Option<Target>],
    problems: &mut Vec<Problem>,
) -> Option<Person> {
    let mut person = Person {
        line,
        ..Person::default()
    };
    let mut name_parts = Vec::new();
    for ((value, target), column) in row.iter().zip(targets).zip(header) {
        let value = value.trim();
        let Some(target) = target else { continue };
        if value.is_empty() {
            continue;
        }
        // Google joins several values of one column with ` ::: `.
        let values = value.split(":::").map(str::trim).filter(|v| !v.is_empty());
        match target {
            Target::Name => name_parts.push(value.to_string()),
            Target::Tags => {
                for tag in values.flat_map(|v| v.split([';', ','])) {
                    // Google's own groups (`* myContacts`) are not the user's labels.
                    if !tag.trim().starts_with('*') {
                        person.add_tag(tag);
                    }
                }
            }
            Target::Aliases => values
                .flat_map(|v| v.split([';', ',']))
                .for_each(|alias| person.add_alias(alias)),
            Target::About => person.add_about(value),
            Target::Date(key) => match export_date(value) {
                Some(day) => person.set(key, &day.to_string()),
                None => problems.push(Problem::at(
                    line,
                    format!(
                        "{column} `{value}` is not a date like 2024-12-05; imported without \
                         `{key}`"
                    ),
                )),
            },
            Target::Key(key) => values.for_each(|v| person.set(key, v)),
        }
    }
    person.name = name_parts.join(" ");
    if person.name.is_empty() {
        problems.push(Problem::at(line, "the name is empty; skipped"));
        return None;
    }
    Some(person)
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINKEDIN: &str = "Notes:\r\n\"When exporting your connection data, you may notice \
        that some of the email addresses are missing.\"\r\n\r\nFirst Name,Last Name,URL,Email \
        Address,Company,Position,Connected On\r\nAna,López,https://www.linkedin.com/in/ana-lopez,\
        ,\"Acme, Inc.\",Head of Partnerships,05 Dec 2024\r\n,,,,,,\r\nRavi,Menon,,ravi@x.org,,,\
        31 Foo 2024\r\n,,https://www.linkedin.com/in/nobody,,,,01 Jan 2020\r\n";

    #[test]
    fn reads_linkedin_connections_after_its_notes() {
        let read = linkedin(LINKEDIN).unwrap();
        let ana = &read.people[0];
        assert_eq!((ana.line, ana.name.as_str()), (5, "Ana López"));
        assert_eq!(ana.get("org"), Some("Acme, Inc."));
        assert_eq!(ana.get("role"), Some("Head of Partnerships"));
        assert_eq!(ana.get("since"), Some("2024-12-05"));
        assert_eq!(
            ana.get("channels.linkedin"),
            Some("https://www.linkedin.com/in/ana-lopez")
        );
        assert_eq!(read.people[1].get("channels.email"), Some("ravi@x.org"));
        assert_eq!(read.people.len(), 2);
        let lines: Vec<usize> = read.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [7, 8], "{:?}", read.problems);
    }

    #[test]
    fn a_semicolon_sheet_maps_its_columns() {
        let text = "Full Name;E-mail;Company;Where\nZoë Ångström;zoe@x.se;Nordic;Oslo\n";
        let read = csv(text, Some("Full Name=name,E-mail=email,Where=location")).unwrap();
        let zoe = &read.people[0];
        assert_eq!(zoe.name, "Zoë Ångström");
        assert_eq!(zoe.get("channels.email"), Some("zoe@x.se"));
        assert_eq!(zoe.get("location"), Some("Oslo"));
        assert_eq!(zoe.get("org"), None, "Company was not mapped");
        let err = csv(text, Some("Mail=email")).unwrap_err().to_string();
        assert!(
            err.contains("no column `Mail`") && err.contains("`E-mail`"),
            "{err}"
        );
    }

    #[test]
    fn google_contacts_columns_are_known_without_a_map() {
        let text = "First Name,Middle Name,Last Name,Labels,E-mail 1 - Value,Notes\n\
                    Ana,,López,* myContacts ::: Podcasts,ana@x.org ::: ana@home.org,hi\n";
        let read = csv(text, None).unwrap();
        let ana = &read.people[0];
        assert_eq!(ana.name, "Ana López");
        assert_eq!(ana.tags, ["Podcasts"]);
        assert_eq!(
            ana.emails().collect::<Vec<_>>(),
            ["ana@x.org", "ana@home.org"]
        );
        assert_eq!(ana.about, "hi", "Notes is the note's opening text");
        assert!(read.notes.is_empty(), "{:?}", read.notes);
    }

    #[test]
    fn export_dates_in_their_usual_forms() {
        for text in [
            "05 Dec 2024",
            "5 December 2024",
            "Dec 5, 2024",
            "2024-12-05",
        ] {
            assert_eq!(
                export_date(text),
                NaiveDate::from_ymd_opt(2024, 12, 5),
                "{text}"
            );
        }
        assert_eq!(export_date("31 Foo 2024"), None);
    }
}
