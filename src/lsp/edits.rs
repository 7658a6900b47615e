//! The edits `vault lsp` offers, each the same bytes the terminal command writes, returned to the
//! editor as text edits: code actions ("log a touch today", "snooze 1w", "mark task done",
//! "create the partner note" for a broken link) and renaming a partner across the vault.

use super::navigate::{self, Subject};
use super::position::{minimal_edit, Lines};
use super::world::World;
use crate::cadence::Cadence;
use crate::edit::{log_touch, set_key, tick, EditError};
use crate::layout::Layout;
use crate::new_partner::{Draft, Request};
use crate::note;
use crate::render::{Templates, PARTNER};
use crate::resolve;
use chrono::NaiveDate;
use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range, ResourceOp, TextDocumentEdit, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// What "log a touch today" writes; the user rewords it in the note.
pub const TOUCH_ENTRY: &str = "note: touched base";
/// How far "snooze" moves the next touch.
pub const SNOOZE: &str = "1w";

/// The code actions at `offset` in the note `rel`.
pub fn code_actions(
    world: &World,
    rel: &str,
    text: &str,
    offset: usize,
    today: NaiveDate,
) -> Vec<CodeAction> {
    let vault = world.vault();
    let mut actions = Vec::new();
    let subject = navigate::subject_at(world, rel, text, offset);
    if let Some((Subject::Broken(target), _)) = &subject {
        actions.push(create_partner(world, target, today));
    }
    if let Some(partner) = navigate::partner_for(world, rel, text, offset) {
        let p = &vault.partners[partner];
        let name = &p.name;
        actions.push(action(
            format!("Log a touch with {name} today"),
            edit_note(world, &p.path, |text, layout| {
                let heading = &vault.config.log_heading;
                log_touch(text, layout, heading, today, TOUCH_ENTRY).map(|(new, _)| new)
            }),
        ));
        let next = Cadence::day_or_span(SNOOZE, today).map_err(EditError);
        actions.push(action(
            format!(
                "Snooze {name} {SNOOZE} (next: {})",
                next.clone().unwrap_or(today)
            ),
            next.map_err(|e| e.0).and_then(|next| {
                edit_note(world, &p.path, |text, layout| {
                    set_key(text, layout, "next", &next.to_string())
                })
            }),
        ));
    }
    let line = Lines::new(text).position(offset).line as usize + 1;
    let (body, _) = without_bom(text);
    let layout = Layout::of(body, false, &vault.config.log_heading);
    if let Some(index) = layout.tasks.iter().position(|t| t.line == line && !t.done) {
        let task = layout.tasks[index].text.trim().to_string();
        actions.push(action(
            format!("Mark task done: {task}"),
            edit_note(world, rel, |text, layout| Ok(tick(text, layout, index))),
        ));
    }
    actions
}

fn action(title: String, edit: Result<WorkspaceEdit, String>) -> CodeAction {
    match edit {
        Ok(edit) => CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(edit),
            ..CodeAction::default()
        },
        Err(reason) => CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            disabled: Some(CodeActionDisabled { reason }),
            ..CodeAction::default()
        },
    }
}

/// The note's text without a BOM, and whether it had one.
fn without_bom(text: &str) -> (&str, bool) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, true),
        None => (text, false),
    }
}

/// The edit of one note that `change` computes from its text and layout, refused (as the
/// terminal commands refuse it) when the note has conflict markers or front matter that does
/// not parse.
fn edit_note(
    world: &World,
    rel: &str,
    change: impl FnOnce(&str, &Layout) -> Result<String, EditError>,
) -> Result<WorkspaceEdit, String> {
    let text = world
        .text(rel)
        .ok_or_else(|| format!("`{rel}` cannot be read"))?;
    let config = &world.vault().config;
    let role = crate::discover::role_of(rel, config);
    let parsed = note::parse(rel, text.as_bytes(), role, config);
    if let Some(problem) = parsed
        .diagnostics
        .iter()
        .find(|d| crate::edit::UNSAFE_TO_EDIT.contains(&d.code))
    {
        return Err(format!(
            "refusing to edit {}: {}; fix it first",
            problem.location(),
            problem.message
        ));
    }
    let (body, bom) = without_bom(&text);
    let layout = Layout::of(body, bom, &config.log_heading);
    let new = change(body, &layout).map_err(|e| e.0)?;
    let new = if bom { format!("\u{feff}{new}") } else { new };
    let edits: Vec<TextEdit> = minimal_edit(&text, &new).into_iter().collect();
    Ok(WorkspaceEdit {
        changes: Some(HashMap::from([(world.uri(rel), edits)])),
        ..WorkspaceEdit::default()
    })
}

/// "Create the partner note": the note `vault new NAME` would write, as a new file.
fn create_partner(world: &World, name: &str, today: NaiveDate) -> CodeAction {
    let title = format!("Create the partner note `{name}`");
    let vault = world.vault();
    let planned = Draft::new(
        &vault.config,
        &Request {
            name,
            ..Request::default()
        },
    )
    .and_then(|draft| draft.plan(vault))
    .and_then(|plan| {
        let templates = Templates::load(&world.place.canonical, &vault.config.templates_dir)?;
        let text = templates.render(PARTNER, &plan.view(today))?;
        Ok((plan.draft.path, text))
    });
    let edit = planned
        .map_err(|e| first_line(&e.to_string()))
        .map(|(path, text)| new_file(world.uri(&path), text));
    action(title, edit)
}

fn new_file(uri: Url, text: String) -> WorkspaceEdit {
    let create = DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
        uri: uri.clone(),
        options: Some(CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(false),
        }),
        annotation_id: None,
    }));
    let fill = DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: vec![OneOf::Left(TextEdit::new(
            Range::new(Position::new(0, 0), Position::new(0, 0)),
            text,
        ))],
    });
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![create, fill])),
        ..WorkspaceEdit::default()
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

/// The range to rename at `offset` and the partner's name, when it names a partner.
pub fn prepare_rename(
    world: &World,
    rel: &str,
    text: &str,
    offset: usize,
) -> Option<(Range, String)> {
    let (subject, span) = navigate::subject_at(world, rel, text, offset)?;
    let Subject::Partner(i) = subject else {
        return None;
    };
    let span = if text[span.clone()].starts_with("name:") {
        let value = text[span.clone()]
            .find(':')
            .map_or(span.start, |c| span.start + c + 1);
        let start =
            value + (text[value..span.end].len() - text[value..span.end].trim_start().len());
        start..span.end
    } else {
        span
    };
    Some((
        Lines::new(text).range(span),
        world.vault().partners[i].name.clone(),
    ))
}

/// Renames the partner named at `offset` (or whose note it is): its `name:`, and every link
/// and touch-list item that names it by that name across the vault. Links by an alias, the
/// file name or a path still name it and are left alone; so are the file name and `id`.
pub fn rename(
    world: &World,
    rel: &str,
    text: &str,
    offset: usize,
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    let vault = world.vault();
    let partner = navigate::partner_for(world, rel, text, offset)
        .ok_or("nothing here names a partner: rename from a link to one, or in its note")?;
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.chars().any(char::is_control) {
        return Err("a name is one line of text, not empty".into());
    }
    if let Some(bad) = new_name.chars().find(|c| "[]|#^".contains(*c)) {
        return Err(format!(
            "a name cannot hold `{bad}`: links could not name it"
        ));
    }
    let new_key = resolve::key(new_name);
    let taken = vault
        .partners
        .iter()
        .enumerate()
        .find(|(i, p)| *i != partner && p.names().any(|n| resolve::key(n) == new_key));
    if let Some((_, other)) = taken {
        return Err(format!(
            "`{new_name}` is already the name or an alias of `{}` ({})",
            other.name, other.path
        ));
    }
    let p = &vault.partners[partner];
    let old_key = resolve::key(&p.name);
    let own = edit_note(world, &p.path, |text, layout| {
        set_key(text, layout, "name", new_name)
    })?;
    let mut changes = own.changes.unwrap_or_default();
    for path in navigate::mentioning_notes(world, partner) {
        let Some(text) = world.text(path) else {
            continue;
        };
        let positions = Lines::new(&text);
        let edits = changes.entry(world.uri(path)).or_default();
        for found in navigate::naming_spans_in(world, path, &text, partner) {
            if resolve::key(&text[found.clone()]) != old_key {
                continue;
            }
            let in_link = text[..found.start].trim_end().ends_with("[[");
            let needs_quotes = !in_link && new_name.contains([',', ':', '"', '\'', '{', '}']);
            let written = if needs_quotes && !text[..found.start].ends_with('"') {
                format!("\"{}\"", new_name.replace('"', "\\\""))
            } else {
                new_name.to_string()
            };
            let range = positions.range(found);
            if !edits.iter().any(|e| e.range == range) {
                edits.push(TextEdit::new(range, written));
            }
        }
    }
    changes.retain(|_, edits| !edits.is_empty());
    for edits in changes.values_mut() {
        edits.sort_by_key(|e| (e.range.start.line, e.range.start.character));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}
