//! Completion: partner and note names after `[[` (names, aliases and file names, accents
//! optional, with org, stage and due date as detail); values of `stage:`, `kind:`, `tier:` and
//! `cadence:` and the known keys in front matter; Log kinds after a Log item's date.

use super::at;
use super::card;
use super::position::Lines;
use super::world::World;
use crate::note::{Role, KNOWN_KEYS};
use crate::partner::{GAVE, GOT};
use crate::slug;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, TextEdit,
};
use std::collections::BTreeMap;

/// At most this many names are sent; the list says it is incomplete, so the editor asks
/// again as more is typed.
const MAX_NAMES: usize = 100;

pub fn complete(world: &World, rel: &str, text: &str, offset: usize) -> Option<CompletionList> {
    if let Some(typed_from) = at::open_link_before(text, offset) {
        return Some(names(world, text, typed_from, offset));
    }
    if let Some(key) = at::front_key_at(text, offset) {
        return front_matter(world, rel, text, offset, &key);
    }
    log_kinds(world, text, offset)
}

/// How well a spelling matches what was typed (both folded): lower is better.
fn rank(spelling: &str, typed: &str) -> Option<u8> {
    if spelling.starts_with(typed) {
        Some(0)
    } else if spelling
        .split('-')
        .any(|word| !typed.is_empty() && word.starts_with(typed))
    {
        Some(1)
    } else if spelling.contains(typed) {
        Some(2)
    } else {
        None
    }
}

fn names(world: &World, text: &str, typed_from: usize, offset: usize) -> CompletionList {
    let vault = world.vault();
    let typed = slug::slug(&text[typed_from..offset]);
    // (rank, days until due, label, what it is): names before aliases, then the partner due
    // soonest.
    let mut found: Vec<(u8, i64, String, Candidate)> = Vec::new();
    for (i, p) in vault.partners.iter().enumerate() {
        let due = vault.derived[i]
            .due
            .map_or(i64::MAX, |d| (d - vault.today).num_days());
        for (n, name) in p.names().enumerate() {
            if let Some(r) = rank(&slug::slug(name), &typed) {
                let alias = n > 0;
                let rank = r * 2 + u8::from(alias);
                let candidate = Candidate::Partner { index: i, alias };
                found.push((rank, due, name.to_string(), candidate));
            }
        }
    }
    for note in &vault.others {
        let stem = crate::partner::file_stem(&note.path);
        if let Some(r) = rank(&slug::slug(stem), &typed) {
            found.push((
                r * 2 + 1,
                i64::MAX,
                stem.to_string(),
                Candidate::Note(&note.title),
            ));
        }
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let incomplete = found.len() > MAX_NAMES;
    let lines = Lines::new(text);
    let closed = text[offset..].starts_with("]]");
    let range = lines.range(typed_from..offset);
    let items = found
        .into_iter()
        .take(MAX_NAMES)
        .enumerate()
        .map(|(order, (_, _, label, candidate))| {
            let new_text = if closed {
                label.clone()
            } else {
                format!("{label}]]")
            };
            let (kind, detail, documentation) = match candidate {
                Candidate::Partner { index, alias } => {
                    let detail = card::detail(vault, index);
                    let detail = if alias {
                        format!("alias of {} · {detail}", vault.partners[index].name)
                    } else {
                        detail
                    };
                    (CompletionItemKind::REFERENCE, detail, Some(index))
                }
                Candidate::Note(title) => (CompletionItemKind::FILE, title.to_string(), None),
            };
            CompletionItem {
                filter_text: Some(format!("{label} {}", slug::slug(&label).replace('-', " "))),
                sort_text: Some(format!("{order:05}")),
                label,
                kind: Some(kind),
                detail: Some(detail),
                // The card comes with `completionItem/resolve`, for the item the user looks at.
                data: documentation.map(|index| serde_json::json!({ "partner": index })),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
                ..CompletionItem::default()
            }
        })
        .collect();
    CompletionList {
        is_incomplete: incomplete,
        items,
    }
}

enum Candidate<'a> {
    Partner { index: usize, alias: bool },
    Note(&'a str),
}

/// The partner card of a name item, as the editor asks for it when the item is selected.
pub fn resolve(world: &World, mut item: CompletionItem) -> CompletionItem {
    let partner = item
        .data
        .as_ref()
        .and_then(|data| data.get("partner"))
        .and_then(serde_json::Value::as_u64)
        .map(|i| i as usize)
        .filter(|&i| i < world.vault().partners.len());
    if let Some(index) = partner {
        item.documentation = Some(Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: card::markdown(world.vault(), index),
        }));
    }
    item
}

/// Values after `stage:`, `kind:`, `tier:`, `cadence:`; keys at the start of a line.
fn front_matter(
    world: &World,
    rel: &str,
    text: &str,
    offset: usize,
    key: &str,
) -> Option<CompletionList> {
    let line = at::line_around(text, offset);
    let before = &text[line.start..offset];
    let config = &world.vault().config;
    let lines = Lines::new(text);
    if let Some((_, typed)) = before.split_once(':') {
        let values: Vec<String> = match key {
            "stage" => config.stages.clone(),
            "kind" => config.kinds.clone(),
            "tier" => config.tiers.keys().cloned().collect(),
            "cadence" => {
                let mut spans: Vec<String> = config.tiers.values().map(|c| c.to_string()).collect();
                spans.extend(["1w", "2w", "1m", "3m", "6m", "1y"].map(String::from));
                spans.sort();
                spans.dedup();
                spans
            }
            _ => return None,
        };
        let typed_from = offset - typed.trim_start().len();
        let range = lines.range(typed_from..offset);
        let items = values
            .into_iter()
            .map(|value| CompletionItem {
                label: value.clone(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(format!("{key} in vault.yaml")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, value))),
                ..CompletionItem::default()
            })
            .collect();
        return Some(CompletionList {
            is_incomplete: false,
            items,
        });
    }
    if before.starts_with([' ', '\t', '-']) {
        return None;
    }
    // A key being typed at the start of a line: the keys the note does not have yet.
    let present: Vec<String> = at::front_matter(text)
        .map(|yaml| {
            text[yaml]
                .lines()
                .filter(|l| !l.starts_with([' ', '\t', '-', '#']))
                .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let role = crate::discover::role_of(rel, config);
    let keys: Vec<String> = match role {
        Role::Partner => KNOWN_KEYS.iter().map(|k| k.to_string()).collect(),
        Role::Other => ["date", "title", "type", "id"]
            .iter()
            .map(|k| k.to_string())
            .chain(config.touch_keys.iter().cloned())
            .collect(),
    };
    let range = lines.range(line.start..offset);
    let items = keys
        .into_iter()
        .filter(|k| !present.contains(k))
        .map(|k| CompletionItem {
            label: k.clone(),
            kind: Some(CompletionItemKind::PROPERTY),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                format!("{k}: "),
            ))),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionList {
        is_incomplete: false,
        items,
    })
}

/// Kinds after `- 2026-11-20 ` in the Log: gave, got, met, note, then the vault's own.
fn log_kinds(world: &World, text: &str, offset: usize) -> Option<CompletionList> {
    let line = at::line_around(text, offset);
    let before = &text[line.start..offset];
    let item = before
        .trim_start()
        .strip_prefix(['-', '*', '+'])?
        .trim_start();
    let (date, typed) = item.split_at_checked(10)?;
    if crate::dates::parse_date(date).is_err() || !typed.starts_with(' ') {
        return None;
    }
    let typed = typed.trim_start();
    if !typed
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    if !in_log(text, line.start, &world.vault().config.log_heading) {
        return None;
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &world.vault().partners {
        for entry in p.log.iter() {
            if let Some(kind) = entry.kind {
                *counts.entry(kind.to_string()).or_default() += 1;
            }
        }
    }
    let mut kinds: Vec<String> = [GAVE, GOT, "met", "note"].map(String::from).to_vec();
    let mut used: Vec<(usize, String)> = counts
        .into_iter()
        .filter(|(k, _)| !kinds.contains(k) && k != crate::partner::STAGE)
        .map(|(k, n)| (n, k))
        .collect();
    used.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    kinds.extend(used.into_iter().take(20).map(|(_, k)| k));
    let range = Lines::new(text).range(offset - typed.len()..offset);
    let items = kinds
        .into_iter()
        .enumerate()
        .map(|(order, kind)| CompletionItem {
            detail: Some(match kind.as_str() {
                GAVE => "you gave something: counts for reciprocity".to_string(),
                GOT => "they gave you something: counts for reciprocity".to_string(),
                _ => "a touch".to_string(),
            }),
            sort_text: Some(format!("{order:03}")),
            kind: Some(CompletionItemKind::KEYWORD),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                format!("{kind}: "),
            ))),
            label: kind,
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionList {
        is_incomplete: false,
        items,
    })
}

/// Whether the line starting at `line_start` is under the Log heading.
fn in_log(text: &str, line_start: usize, log_heading: &str) -> bool {
    text[..line_start]
        .lines()
        .rev()
        .find(|l| l.starts_with('#'))
        .is_some_and(|heading| {
            heading
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case(log_heading)
        })
}
