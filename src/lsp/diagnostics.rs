//! The problems `vault check` finds, as the protocol's diagnostics: per file, with the same
//! codes and hints, placed in UTF-16 columns of the text the editor has. Only the files whose
//! problems changed since they were last sent are sent again.

use super::position::Lines;
use super::world::World;
use crate::diagnostic::{Diagnostic, Severity};
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams,
};
use std::collections::{BTreeMap, HashMap};

/// What was last sent for each file: its problems, and the buffer version they were placed in.
#[derive(Default)]
pub struct Published {
    sent: HashMap<String, (Vec<Diagnostic>, Option<i32>)>,
    /// Open buffers last said to have no problems, and at which version: a buffer is told at
    /// each version that it has none, so that the editor knows it was checked.
    clean: HashMap<String, i32>,
}

impl Published {
    /// The notifications that bring the editor up to date with the snapshot in `world`.
    pub fn update(&mut self, world: &World) -> Vec<PublishDiagnosticsParams> {
        let mut now: BTreeMap<&str, Vec<Diagnostic>> = BTreeMap::new();
        for d in &world.vault().diagnostics {
            now.entry(d.path.as_str()).or_default().push(d.clone());
        }
        let mut out = Vec::new();
        let gone: Vec<String> = self
            .sent
            .keys()
            .filter(|path| !now.contains_key(path.as_str()))
            .cloned()
            .collect();
        for path in gone {
            let Some(version) = placed_in(world, &path) else {
                continue;
            };
            self.sent.remove(&path);
            if let Some(v) = version {
                self.clean.insert(path.clone(), v);
            }
            out.push(PublishDiagnosticsParams::new(
                world.uri(&path),
                Vec::new(),
                version,
            ));
        }
        self.clean.retain(|path, _| world.docs.contains_key(path));
        for (path, doc) in world.docs {
            let checked = placed_in(world, path) == Some(Some(doc.version));
            let told = self.clean.get(path) == Some(&doc.version);
            if checked && !told && !now.contains_key(path.as_str()) {
                self.clean.insert(path.clone(), doc.version);
                let uri = doc.uri.clone();
                out.push(PublishDiagnosticsParams::new(
                    uri,
                    Vec::new(),
                    Some(doc.version),
                ));
            }
        }
        for (path, problems) in now {
            let Some(version) = placed_in(world, path) else {
                continue;
            };
            let same = self
                .sent
                .get(path)
                .is_some_and(|(sent, at)| *sent == problems && *at == version);
            if same {
                continue;
            }
            let text = match world.snapshot.buffers.get(path) {
                Some((_, text)) => std::borrow::Cow::Borrowed(text.as_str()),
                None => world.text(path).unwrap_or_default(),
            };
            let lines = Lines::new(&text);
            let diagnostics = problems.iter().map(|d| convert(d, &lines)).collect();
            out.push(PublishDiagnosticsParams::new(
                world.uri(path),
                diagnostics,
                version,
            ));
            self.sent.insert(path.to_string(), (problems, version));
        }
        out
    }
}

/// The buffer version a file's problems in this snapshot belong to (none for a file that is
/// not open); `None` overall when the buffer has changed since the snapshot was made, so that
/// its problems wait for the next one rather than land on the wrong text.
fn placed_in(world: &World, path: &str) -> Option<Option<i32>> {
    let open = world.docs.get(path).map(|d| d.version);
    let indexed = world.snapshot.buffers.get(path).map(|(v, _)| *v);
    match (open, indexed) {
        (None, _) => Some(None),
        (Some(now), Some(then)) if now == then => Some(Some(now)),
        _ => None,
    }
}

/// One problem, as an editor shows it: the message, then the hint on a line of its own.
pub fn convert(d: &Diagnostic, lines: &Lines) -> LspDiagnostic {
    let range = if d.line == 0 {
        lsp_types::Range::default()
    } else {
        lines.char_range(d.line, d.column, d.length)
    };
    let message = match &d.hint {
        Some(hint) => format!("{}\nhint: {hint}", d.message),
        None => d.message.clone(),
    };
    LspDiagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("vault".into()),
        message,
        ..LspDiagnostic::default()
    }
}
