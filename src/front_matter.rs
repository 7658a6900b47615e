//! Cutting the YAML front matter out of a note, remembering where everything starts.

/// A note's text cut in two. Line numbers are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, if the note has a closed block.
    pub yaml: Option<&'a str>,
    /// The file line on which the YAML text starts.
    pub yaml_line: usize,
    /// Everything after the front matter (the whole text when there is none).
    pub body: &'a str,
    /// The file line on which the body starts.
    pub body_line: usize,
    pub problem: Option<SplitProblem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitProblem {
    /// The note does not start with `---`.
    Missing,
    /// A `---` opens the block but no `---` line closes it; `dots_line` is the file line of a
    /// `...` line that was probably meant to close it (YAML allows it; Obsidian does not).
    Unclosed { dots_line: Option<usize> },
    /// The block is TOML (`+++`), which this tool does not read.
    Toml,
    /// Blank lines come before the opening `---`; the block is read anyway.
    NotAtTop { blank_lines: usize },
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end() == fence
}

/// Splits `text` (already without a BOM) into front matter and body.
pub fn split(text: &str) -> Split<'_> {
    let mut lines = text.split_inclusive('\n');
    let mut offset = 0;
    let mut blank_lines = 0;
    let first = loop {
        match lines.next() {
            Some(line) if line.trim().is_empty() => {
                offset += line.len();
                blank_lines += 1;
            }
            other => break other,
        }
    };
    let no_front_matter = |problem| Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
        problem: Some(problem),
    };
    let Some(first) = first else {
        return no_front_matter(SplitProblem::Missing);
    };
    if is_fence(first, "+++") {
        return no_front_matter(SplitProblem::Toml);
    }
    if !is_fence(first, "---") {
        return no_front_matter(SplitProblem::Missing);
    }
    let yaml_start = offset + first.len();
    let yaml_line = blank_lines + 2;
    let mut position = yaml_start;
    let mut dots_line = None;
    for (index, line) in lines.enumerate() {
        if is_fence(line, "...") && dots_line.is_none() {
            dots_line = Some(yaml_line + index);
        }
        if is_fence(line, "---") {
            return Split {
                yaml: Some(&text[yaml_start..position]),
                yaml_line,
                body: &text[position + line.len()..],
                body_line: yaml_line + index + 1,
                problem: (blank_lines > 0).then_some(SplitProblem::NotAtTop { blank_lines }),
            };
        }
        position += line.len();
    }
    no_front_matter(SplitProblem::Unclosed { dots_line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_normal_note() {
        let s = split("---\nname: A\n---\nbody\n");
        assert_eq!(s.yaml, Some("name: A\n"));
        assert_eq!((s.yaml_line, s.body_line), (2, 4));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.problem, None);
    }

    #[test]
    fn handles_crlf_empty_blocks_and_no_final_newline() {
        let s = split("---\r\nname: A\r\n---\r\nbody");
        assert_eq!(s.yaml, Some("name: A\r\n"));
        assert_eq!(s.body, "body");
        let s = split("---\n---\n");
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
        let s = split("---\nname: A\n---");
        assert_eq!(s.yaml, Some("name: A\n"));
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn reports_missing_unclosed_toml_and_late_blocks() {
        assert_eq!(split("# Title\n").problem, Some(SplitProblem::Missing));
        assert_eq!(split("").problem, Some(SplitProblem::Missing));
        assert_eq!(
            split("---\nname: A\nbody\n").problem,
            Some(SplitProblem::Unclosed { dots_line: None })
        );
        assert_eq!(
            split("---\nname: A\n...\nbody\n").problem,
            Some(SplitProblem::Unclosed { dots_line: Some(3) })
        );
        assert_eq!(
            split("+++\ntitle = 1\n+++\n").problem,
            Some(SplitProblem::Toml)
        );
        let s = split("\n---\nname: A\n---\nbody\n");
        assert_eq!(s.problem, Some(SplitProblem::NotAtTop { blank_lines: 1 }));
        assert_eq!((s.yaml_line, s.body_line), (3, 5));
    }

    #[test]
    fn a_horizontal_rule_later_in_the_body_is_not_front_matter() {
        let s = split("Intro\n\n---\n\nmore\n");
        assert_eq!(s.problem, Some(SplitProblem::Missing));
        assert_eq!(s.body_line, 1);
    }
}
