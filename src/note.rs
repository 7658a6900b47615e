//! Parsing one file into a note, independently of every other file, with its diagnostics.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::keys;
use crate::lazy::Lazy;
use crate::markdown::{self, to_u32, LinkForm, LinkRef};
use crate::partner::{file_stem, Log, Note, NoteContent};
use crate::value::{Fields, Map, Value};
use crate::yaml::{self, KeyPosition};
use std::collections::BTreeMap;

mod fields;
mod log;
mod text_checks;
mod yaml_problems;

use fields::FieldReader;
use log::starts_like_a_date;
use text_checks::{decode, find_conflict_markers};
use yaml_problems::{report_split_problem, yaml_hint};

/// Whether a file is a partner note (under `partners_dir`) or any other note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    Partner,
    Other,
}

/// The front-matter keys a partner note understands.
pub const KNOWN_KEYS: [&str; 17] = [
    "name",
    "aliases",
    "id",
    "org",
    "kind",
    "stage",
    "tier",
    "cadence",
    "last_contact",
    "next",
    "since",
    "met_at",
    "channels",
    "tags",
    "offers",
    "seeks",
    "knows",
];

/// The result of parsing one file: the note (none when the file cannot be read as text) and
/// every problem found in it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub note: Option<Note>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the bytes of the file at `path` (relative to the vault, `/`-separated).
pub fn parse(path: &str, bytes: &[u8], role: Role, config: &Config) -> Parsed {
    let mut diagnostics = Vec::new();
    let Some(text) = decode(path, bytes, &mut diagnostics) else {
        return Parsed {
            note: None,
            diagnostics,
        };
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    find_conflict_markers(path, text, &mut diagnostics);

    let split = front_matter::split(text);
    report_split_problem(path, split.problem, role, &mut diagnostics);
    let ReadYaml {
        fields,
        positions,
        collection_keys,
    } = split.yaml.map_or_else(ReadYaml::default, |yaml_text| {
        read_yaml(path, yaml_text, split.yaml_line, role, &mut diagnostics)
    });

    let body = markdown::scan(split.body, split.body_line, &config.log_heading);
    let stem = file_stem(path);
    let touch_keys: &[String] = match role {
        Role::Partner => &[],
        Role::Other => &config.touch_keys,
    };
    let mut links = front_matter_links(&fields, &positions, split.yaml_line, touch_keys);
    links.extend(body.links);
    let mut reader = FieldReader {
        path,
        fields: &fields,
        positions: &positions,
        yaml_line: split.yaml_line,
        collection_keys: &collection_keys,
        diagnostics: &mut diagnostics,
    };
    let tasks = body
        .tasks
        .iter()
        .map(|t| reader.task(t.done, &t.at))
        .collect();
    let content = match role {
        Role::Partner => {
            let mut log: Vec<log::ReadEntry> = body
                .log_items
                .iter()
                .filter_map(|item| reader.interaction(item))
                .collect();
            // A nested item is an entry of its own when it starts with a date (a bad date is
            // reported); otherwise it is a detail of the entry above it.
            log.extend(
                body.nested_log_items
                    .iter()
                    .filter(|item| starts_like_a_date(&item.text))
                    .filter_map(|item| reader.interaction(item)),
            );
            log.sort_by_key(|i| i.line);
            let log = Log::new(log.iter().map(log::ReadEntry::as_interaction));
            let mut partner = reader.partner(stem, config, log, tasks);
            let yaml_line = split.yaml_line;
            let every_key = Fields::new(fields, |key| {
                positions.get(key).map(|p| yaml_line + p.line - 1)
            });
            partner.extra = every_key.only(|key| !KNOWN_KEYS.contains(&key));
            partner.fields = Lazy::encoded(every_key);
            NoteContent::Partner(Box::new(partner))
        }
        Role::Other => NoteContent::Other(Box::new(
            reader.other_note(stem, body.title, tasks, touch_keys, &links),
        )),
    };
    Parsed {
        note: Some(Note { content, links }),
        diagnostics,
    }
}

/// What a note's front matter gives: its keys and values, where each key is written, and the
/// keys written as a list or a mapping (as the mapping holds them).
#[derive(Default)]
struct ReadYaml {
    fields: Map,
    positions: BTreeMap<String, KeyPosition>,
    collection_keys: Vec<String>,
}

/// Reads the YAML of a note's front matter (from file line `yaml_line`); its problems go to
/// `out`, errors in a partner note and warnings in any other.
fn read_yaml(
    path: &str,
    yaml_text: &str,
    yaml_line: usize,
    role: Role,
    out: &mut Vec<Diagnostic>,
) -> ReadYaml {
    let severity_error = role == Role::Partner;
    let front = match yaml::parse_front_matter(yaml_text) {
        Ok(front) => front,
        Err(e) => {
            // The crate places a repeated key at its mapping; the repeat is what to fix.
            let (line, column) = yaml::duplicate_key_line(yaml_text, &e.message)
                .map_or((e.line, e.column), |line| (line, 1));
            let line = yaml_line + line.saturating_sub(1);
            let mut d = problem(
                severity_error,
                "yaml-syntax",
                format!("invalid YAML: {}", e.message),
            )
            .at(path, line, column, 1);
            if let Some(hint) = yaml_hint(yaml_text, e.line, &e.message) {
                d = d.hint(hint);
            }
            out.push(d);
            return ReadYaml::default();
        }
    };
    match front.value {
        Value::Map(fields) => {
            out.extend(keys::collection_key_problems(
                path,
                &front.collection_keys,
                yaml_line,
                role,
            ));
            ReadYaml {
                fields,
                positions: yaml::top_level_key_positions(yaml_text),
                collection_keys: front.collection_keys.into_iter().map(|k| k.key).collect(),
            }
        }
        Value::Null => ReadYaml::default(),
        other => {
            out.push(
                problem(
                    severity_error,
                    "front-matter-not-mapping",
                    format!(
                        "front matter is {}, not a set of `key: value` lines",
                        other.type_name()
                    ),
                )
                .at(path, yaml_line, 1, 1)
                .hint("write one `key: value` per line between the `---` lines"),
            );
            ReadYaml::default()
        }
    }
}

/// `[[links]]` written in front-matter values (at any depth), except under `skip` keys, each
/// placed at its key's value.
fn front_matter_links(
    fields: &Map,
    positions: &BTreeMap<String, KeyPosition>,
    yaml_line: usize,
    skip: &[String],
) -> Vec<LinkRef> {
    fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::String(s) => out.push(s),
            Value::List(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Map(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut links = Vec::new();
    for (key, value) in fields.iter().filter(|(k, _)| !skip.iter().any(|s| s == k)) {
        let mut texts = Vec::new();
        strings(value, &mut texts);
        let at = positions.get(key);
        for target in texts.into_iter().flat_map(markdown::links_in) {
            links.push(LinkRef {
                target,
                form: LinkForm::Wiki,
                line: to_u32(at.map_or(yaml_line, |p| yaml_line + p.line - 1)),
                column: to_u32(at.map_or(1, |p| p.column)),
                length: to_u32(at.map_or(1, |p| p.length)),
            });
        }
    }
    links.sort_by_key(|l| l.line);
    links
}

fn problem(error: bool, code: &'static str, message: String) -> Diagnostic {
    if error {
        Diagnostic::error(code, message)
    } else {
        Diagnostic::warning(code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner::Partner;

    fn parse_partner(text: &str) -> (Partner, Vec<Diagnostic>) {
        let parsed = parse(
            "partners/ana.md",
            text.as_bytes(),
            Role::Partner,
            &Config::default(),
        );
        let Some(Note {
            content: NoteContent::Partner(p),
            ..
        }) = parsed.note
        else {
            panic!("no partner")
        };
        (*p, parsed.diagnostics)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(&str, usize)> {
        diagnostics.iter().map(|d| (d.code, d.line)).collect()
    }

    #[test]
    fn reads_the_log() {
        let (p, diags) = parse_partner(
            "---\nname: Ana\n---\n## Log\n- 2026-11-20 gave: Shared it\n- 2026-11-02: got: x\n- 2026-10-15 Coffee at CMW: great\n- 2026-02-30 met: bad\n- 2026-1-05 met: bad\n- no date here\n",
        );
        let kinds: Vec<_> = p
            .log
            .iter()
            .map(|i| (i.date.to_string(), i.kind, i.text))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("2026-11-20".into(), Some("gave"), "Shared it"),
                ("2026-11-02".into(), Some("got"), "x"),
                ("2026-10-15".into(), None, "Coffee at CMW: great"),
            ]
        );
        assert_eq!(
            codes(&diags),
            vec![
                ("bad-log-date", 8),
                ("bad-log-date", 9),
                ("undated-log-entry", 10)
            ]
        );
        assert_eq!(diags[0].column, 3);
        let (_, diags) =
            parse_partner("---\n---\n## Log\n1. 2026-13-01 met: x\n- [ ] 2026-11-31 task\n");
        let at: Vec<_> = diags.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(at, vec![("bad-task-date", 5, 7), ("bad-log-date", 4, 4)]);
    }

    #[test]
    fn name_defaults_to_the_file_name_and_tier_to_the_default() {
        let (p, diags) = parse_partner("---\norg: X\n---\n");
        assert_eq!((p.name.as_str(), p.tier.as_str()), ("ana", "B"));
        assert!(diags.is_empty());
    }

    #[test]
    fn reports_values_at_their_lines_with_hints() {
        let (_, diags) = parse_partner(
            "---\nstage: partnr\nkind: blogger\ntier: D\ncadence: 3 weeks\nsince: 2026-13-45\ntags: 5\nlast_contcat: 2026-01-01\n---\n",
        );
        assert_eq!(
            codes(&diags),
            vec![
                ("unknown-key", 8),
                ("unknown-kind", 3),
                ("unknown-stage", 2),
                ("unknown-tier", 4),
                ("bad-cadence", 5),
                ("invalid-date", 6),
                ("wrong-type", 7)
            ]
        );
        assert_eq!(diags[2].hint.as_deref(), Some("did you mean `partner`?"));
        assert_eq!(diags[2].column, 8);
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `last_contact`?")
        );
    }

    #[test]
    fn yaml_errors_point_at_file_lines() {
        let (p, diags) = parse_partner("---\nname: Ana\ntwitter: @ana\n---\nbody\n");
        assert_eq!(codes(&diags), vec![("yaml-syntax", 3)]);
        assert!(diags[0].hint.as_deref().unwrap().contains("quoted"));
        assert_eq!(p.name, "ana");
    }

    #[test]
    fn tolerates_bom_crlf_comments_quoted_dates_and_null_list_items() {
        let (p, diags) = parse_partner(
            "\u{feff}---\r\nname: Ana # comment\r\nsince: \"2020-01-02\"\r\ntags:\r\n- \r\n- seo\r\n---\r\nbody",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.name, "Ana");
        assert_eq!(p.tags, ["seo"]);
        assert_eq!(p.since.unwrap().to_string(), "2020-01-02");
    }

    #[test]
    fn rejects_binary_and_reports_conflicts() {
        let parsed = parse(
            "partners/x.md",
            b"---\nname: \xff\n---\n",
            Role::Partner,
            &Config::default(),
        );
        assert!(parsed.note.is_none());
        assert_eq!(codes(&parsed.diagnostics), vec![("invalid-utf8", 2)]);
        let parsed = parse(
            "partners/x.md",
            b"a\nb\0",
            Role::Partner,
            &Config::default(),
        );
        assert_eq!(codes(&parsed.diagnostics), vec![("nul-byte", 2)]);
        let (_, diags) =
            parse_partner("---\nname: A\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> main\n");
        assert_eq!(codes(&diags), vec![("conflict-marker", 4)]);
    }

    #[test]
    fn tasks_have_due_dates() {
        let (p, _) = parse_partner("---\n---\n- [ ] 2026-12-05 Propose [[Bo]]\n- [x] Done\n");
        assert_eq!(p.tasks[0].due.unwrap().to_string(), "2026-12-05");
        assert_eq!(&*p.tasks[0].text, "Propose [[Bo]]");
        assert_eq!(p.tasks[0].links, ["Bo"]);
        assert!(p.tasks[1].done);
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "---\nname: Ana Émile\naliases: [Ana]\nstage: partner\ncadence: 2w\nsince: 2020-01-02\n---\n## Log\n- 2026-11-20 gave: x [[Bo|b]]\n- [ ] 2026-12-05 task\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn on_arbitrary_text(text in "\\PC{0,300}") {
            let _ = parse("partners/x.md", text.as_bytes(), Role::Partner, &Config::default());
            let _ = parse("notes/x.md", text.as_bytes(), Role::Other, &Config::default());
        }

        #[test]
        fn on_edits_of_a_valid_note(at in 0usize..200, insert in "[-:\\[\\]#|\\n \"'0-9a-zé語]{0,6}", cut in 0usize..4) {
            let mut chars: Vec<char> = VALID.chars().collect();
            let at = at.min(chars.len());
            let end = (at + cut).min(chars.len());
            chars.splice(at..end, insert.chars());
            let text: String = chars.into_iter().collect();
            let _ = parse("partners/x.md", text.as_bytes(), Role::Partner, &Config::default());
        }

        #[test]
        fn on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse("partners/x.md", &bytes, Role::Partner, &Config::default());
        }
    }
}
