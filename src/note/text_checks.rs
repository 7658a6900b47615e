//! Checks on a note's bytes before anything is parsed: that it is text (no NUL byte, valid
//! UTF-8), and where git left conflict markers.

use crate::diagnostic::Diagnostic;

/// The text of a file, or an error diagnostic when it holds NUL bytes or is not UTF-8.
pub(super) fn decode<'a>(
    path: &str,
    bytes: &'a [u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    let position = |offset: usize| {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (line, column)
    };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position(offset);
        diagnostics.push(
            Diagnostic::error(
                "nul-byte",
                "the file holds a NUL byte, so it is not a text note; skipped",
            )
            .at(path, line, column, 1)
            .hint("remove the NUL bytes, or move binary files out of the vault"),
        );
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let (line, column) = position(e.valid_up_to());
            diagnostics.push(
                Diagnostic::error("invalid-utf8", "the file is not valid UTF-8; skipped")
                    .at(path, line, column, 1)
                    .hint("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}

/// Reports each unresolved git conflict (`<<<<<<<` ... `>>>>>>>`) once, at its first line.
pub(super) fn find_conflict_markers(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let is_marker = |line: &str, marker: &str| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\r']))
    };
    // Nearly every note has none: one search each, before looking at lines.
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return;
    }
    let mut open = false;
    for (index, line) in text.split('\n').enumerate() {
        if is_marker(line, "<<<<<<<") {
            open = true;
            diagnostics.push(
                Diagnostic::error("conflict-marker", "unresolved git conflict in this note")
                    .at(path, index + 1, 1, 7)
                    .hint("keep the side you want, then delete the <<<<<<<, ======= and >>>>>>> lines"),
            );
        } else if is_marker(line, ">>>>>>>") {
            if !open {
                diagnostics.push(
                    Diagnostic::error(
                        "conflict-marker",
                        "git conflict marker `>>>>>>>` left in this note",
                    )
                    .at(path, index + 1, 1, 7)
                    .hint("delete the marker line once the conflict is resolved"),
                );
            }
            open = false;
        }
    }
}
