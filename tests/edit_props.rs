//! A property test of the edit engine: notes with random formatting (line endings, a BOM, a
//! final newline or not, comments, quoting, flow and block lists, Logs newest or oldest first,
//! under any heading level, tasks or none) are edited, and each edit must change only the
//! intended line and parse back to the intended value.

use chrono::NaiveDate;
use partner_vault::config::Config;
use partner_vault::edit::{add_log_entry, add_task, set_key, tick};
use partner_vault::layout::Layout;
use partner_vault::note::{parse, Role};
use partner_vault::partner::{NoteContent, Partner};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Shape {
    crlf: bool,
    bom: bool,
    final_newline: bool,
    next: u8,
    comment_line: bool,
    block_tags: bool,
    log: u8,
    heading_level: usize,
    section_after: bool,
    tasks: u8,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u8..5,
            any::<bool>(),
        ),
        (any::<bool>(), 0u8..3, 2usize..4, any::<bool>(), 0u8..3),
    )
        .prop_map(
            |(
                (crlf, bom, final_newline, next, comment_line),
                (block_tags, log, heading_level, section_after, tasks),
            )| Shape {
                crlf,
                bom,
                final_newline,
                next,
                comment_line,
                block_tags,
                log,
                heading_level,
                section_after,
                tasks,
            },
        )
}

/// The note's text (after the BOM) for a shape.
fn note(s: &Shape) -> String {
    let mut lines: Vec<String> = vec!["---".into()];
    if s.comment_line {
        lines.push("# a comment line".into());
    }
    lines.push("name: \"Ana Émile\"  # full name".into());
    match s.next {
        0 => {}
        1 => lines.push("next: 2026-12-01".into()),
        2 => lines.push("next: \"2026-12-01\" # planned".into()),
        3 => lines.push("next: '2026-12-01'".into()),
        _ => lines.push("next:".into()),
    }
    if s.block_tags {
        lines.extend(["tags:".into(), "  - a".into(), "  - b".into()]);
    } else {
        lines.push("tags: [a, \"b c\"]".into());
    }
    lines.push("---".into());
    lines.push("Intro with\ttabs and trailing spaces.   ".into());
    let hashes = "#".repeat(s.heading_level);
    if s.log > 0 {
        lines.push(String::new());
        lines.push(format!("{hashes} Log"));
        let mut entries = vec![
            "- 2026-09-01 met: a",
            "- 2026-10-01 gave: b",
            "- 2026-11-01 got: c",
        ];
        if s.log == 1 {
            entries.reverse(); // newest first
        }
        lines.extend(entries.into_iter().map(String::from));
    }
    if s.section_after || s.tasks > 0 {
        lines.push(String::new());
        lines.push(format!("{hashes} Ideas"));
        for i in 0..s.tasks {
            lines.push(format!("- [ ] 2026-12-0{} idea {i}", i + 1));
        }
        if s.tasks == 0 {
            lines.push("Some ideas.".into());
        }
    }
    let eol = if s.crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(eol);
    if s.final_newline {
        text.push_str(eol);
    }
    text
}

fn partner_of(text: &str) -> Partner {
    let parsed = parse(
        "partners/ana.md",
        text.as_bytes(),
        Role::Partner,
        &Config::default(),
    );
    match parsed.note.map(|n| n.content) {
        Some(NoteContent::Partner(p)) => *p,
        _ => panic!("not a partner: {text:?}"),
    }
}

/// `new` with the one line equal to `line` removed; asserts there is exactly one.
fn without_line(new: &str, line: &str, eol: &str) -> String {
    let lines: Vec<&str> = new.split_inclusive('\n').collect();
    let hits: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_end_matches(['\n', '\r']) == line)
        .collect();
    assert_eq!(hits.len(), 1, "`{line}` once in {new:?}");
    let i = hits[0];
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    if out[i].ends_with('\n') {
        out.remove(i);
    } else {
        // The last line, without a final newline: the line ending before it came with it.
        out.remove(i);
        let last = out.len() - 1;
        out[last] = out[last]
            .strip_suffix(eol)
            .unwrap_or(&out[last])
            .to_string();
    }
    out.concat()
}

fn keeps_line_endings(s: &Shape, new: &str) {
    if s.crlf {
        let lone = new
            .match_indices('\n')
            .any(|(i, _)| i == 0 || &new[i - 1..i] != "\r");
        assert!(!lone, "a lone LF in a CRLF note: {new:?}");
    } else {
        assert!(!new.contains('\r'));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn set_next_changes_one_line_or_adds_one(s in shape(), day in 1u32..28) {
        let text = note(&s);
        let layout = Layout::of(&text, s.bom, "Log");
        let value = format!("2027-01-{day:02}");
        let new = set_key(&text, &layout, "next", &value).unwrap();
        keeps_line_endings(&s, &new);
        let old_lines: Vec<&str> = text.lines().collect();
        let new_lines: Vec<&str> = new.lines().collect();
        if s.next == 0 {
            prop_assert_eq!(without_line(&new, &format!("next: {value}"), if s.crlf { "\r\n" } else { "\n" }), text.clone());
        } else {
            prop_assert_eq!(old_lines.len(), new_lines.len());
            let changed: Vec<usize> = (0..old_lines.len()).filter(|&i| old_lines[i] != new_lines[i]).collect();
            prop_assert_eq!(changed.len(), 1);
            prop_assert!(new_lines[changed[0]].starts_with("next:"));
        }
        let expected = NaiveDate::parse_from_str(&value, "%Y-%m-%d").unwrap();
        prop_assert_eq!(partner_of(&new).next, Some(expected));
    }

    #[test]
    fn a_log_entry_is_one_new_line_in_order(s in shape(), day in 1u32..28, month in 9u32..12) {
        let text = note(&s);
        let layout = Layout::of(&text, s.bom, "Log");
        let date = NaiveDate::from_ymd_opt(2026, month, day).unwrap();
        let eol = if s.crlf { "\r\n" } else { "\n" };
        let new = add_log_entry(&text, &layout, "Log", date, "talked: new one");
        keeps_line_endings(&s, &new);
        let line = format!("- {date} talked: new one");
        if s.log > 0 {
            prop_assert_eq!(without_line(&new, &line, eol), text.clone());
            // In order: the dates of the Log read the same way as before.
            let log = partner_of(&new).log;
            let dates: Vec<NaiveDate> = log.iter().map(|i| i.date).collect();
            let mut sorted = dates.clone();
            sorted.sort();
            if s.log == 1 {
                sorted.reverse();
            }
            prop_assert_eq!(dates, sorted);
        } else {
            prop_assert!(new.starts_with(&text.trim_end_matches(['\r', '\n']).to_string()));
            prop_assert_eq!(new.ends_with('\n'), s.final_newline || text.is_empty());
        }
        prop_assert!(partner_of(&new).log.iter().any(|i| i.date == date && i.text == "new one"));
    }

    #[test]
    fn tasks_are_added_and_ticked_alone(s in shape()) {
        let text = note(&s);
        let layout = Layout::of(&text, s.bom, "Log");
        let eol = if s.crlf { "\r\n" } else { "\n" };
        let new = add_task(&text, &layout, "2027-02-01 brand new");
        keeps_line_endings(&s, &new);
        if s.tasks > 0 {
            prop_assert_eq!(without_line(&new, "- [ ] 2027-02-01 brand new", eol), text.clone());
            let ticked = tick(&text, &layout, 0);
            prop_assert_eq!(ticked.len(), text.len());
            prop_assert_eq!(ticked.replacen("- [x] 2026-12-01", "- [ ] 2026-12-01", 1), text.clone());
            prop_assert!(partner_of(&ticked).tasks[0].done);
        }
        prop_assert!(partner_of(&new).tasks.iter().any(|t| &*t.text == "brand new" && !t.done));
    }
}
