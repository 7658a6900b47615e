//! Templates: the built-ins compiled into the binary, overridden by the vault's own
//! `templates/` files of the same name, rendered with tera from `Serialize` views.

use crate::error::Rendered;
use crate::render_budget;
use anyhow::Context as _;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Kwargs, State, Tera};

pub const REVIEW: &str = "review.md.tera";
pub const REMIND: &str = "remind.txt.tera";
pub const PARTNER: &str = "partner.md.tera";

/// The built-in templates, by file name.
pub const BUILT_IN: [(&str, &str); 3] = [
    (REVIEW, include_str!("../templates/review.md.tera")),
    (REMIND, include_str!("../templates/remind.txt.tera")),
    (PARTNER, include_str!("../templates/partner.md.tera")),
];

/// The templates of one vault, ready to render.
pub struct Templates {
    tera: Tera,
    /// File name -> the name tera knows it by: the vault-relative path of an override, or
    /// `built-in review.md.tera`, so errors name the file to fix.
    sources: BTreeMap<&'static str, String>,
}

impl Templates {
    /// Loads the built-ins and the overrides in `root/templates_dir`. A syntax error in any
    /// template is a tool failure naming the file and line.
    pub fn load(root: &Path, templates_dir: &str) -> anyhow::Result<Templates> {
        let mut tera = Tera::new();
        tera.register_filter("wikilink", wikilink);
        tera.register_filter("quote", quote);
        let mut sources = BTreeMap::new();
        for (name, built_in) in BUILT_IN {
            let rel = format!("{templates_dir}/{name}");
            let (source, text) = match read_override(root, &rel)? {
                Some(text) => (rel, text),
                None => (format!("built-in {name}"), built_in.to_string()),
            };
            tera.add_raw_template(&source, &text)
                .map_err(|e| template_error(&source, &e))?;
            sources.insert(name, source);
        }
        Ok(Templates { tera, sources })
    }

    /// Renders the template `name` (one of the built-in names) with `view` as its variables.
    pub fn render<T: Serialize>(&self, name: &str, view: &T) -> anyhow::Result<String> {
        let (text, _) = self.render_all(name, 1, |_| {
            tera::Context::from_serialize(view).map(Cow::Owned)
        })?;
        Ok(text)
    }

    /// Renders the template `name` with `context` as its variables, for callers that build
    /// the template values themselves (sharing one value between several lists, say).
    pub fn render_context(&self, name: &str, context: &tera::Context) -> anyhow::Result<String> {
        let (text, _) = self.render_all(name, 1, |_| Ok(Cow::Borrowed(context)))?;
        Ok(text)
    }

    /// Renders the template `name` once per context, all within one budget of time, output and
    /// memory (see [`render_budget`]), and hands each rendering's output to `each`, in order.
    pub fn render_each(
        &self,
        name: &str,
        contexts: &[tera::Context],
        mut each: impl FnMut(&str),
    ) -> anyhow::Result<()> {
        let (text, ends) =
            self.render_all(name, contexts.len(), |i| Ok(Cow::Borrowed(&contexts[i])))?;
        let mut start = 0;
        for end in ends {
            each(&text[start..end]);
            start = end;
        }
        Ok(())
    }

    /// Renders the template `name` `count` times, the `i`th time with `context(i)`, within one
    /// budget: the output of all, and where each rendering's output ends in it.
    fn render_all<'c>(
        &self,
        name: &str,
        count: usize,
        mut context: impl FnMut(usize) -> tera::TeraResult<Cow<'c, tera::Context>>,
    ) -> anyhow::Result<(String, Vec<usize>)> {
        let source = self
            .sources
            .get(name)
            .with_context(|| format!("no template named `{name}`"))?;
        let mut out = render_budget::Bounded::default();
        let rendered = render_budget::run(source, || {
            let mut ends = Vec::with_capacity(count);
            for i in 0..count {
                let context = context(i).map_err(|e| template_error(source, &e))?;
                self.tera
                    .render_to(source, &context, &mut out)
                    .map_err(|e| template_error(source, &e))?;
                ends.push(out.bytes.len());
            }
            Ok::<_, anyhow::Error>(ends)
        });
        if out.exceeded {
            let why = format!("its output grew past {} MiB", render_budget::OUTPUT >> 20);
            return Err(anyhow::Error::new(Rendered(render_budget::over_budget(
                source, &why,
            ))));
        }
        let ends = rendered?;
        let text = String::from_utf8(out.bytes).context("the template's output is not UTF-8")?;
        Ok((text, ends))
    }
}

/// The text of a vault's template override, `None` when there is none. Only a regular file
/// inside the vault is read: a symbolic link (to `/etc/hostname`, say) would put another file
/// into a page that gets committed, so it is refused, as is a templates folder leading out.
fn read_override(root: &Path, rel: &str) -> anyhow::Result<Option<String>> {
    let path = root.join(rel);
    let metadata = match std::fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading the template `{rel}`")),
    };
    let refuse = |why: &str| {
        anyhow::Error::new(Rendered(format!(
            "vault: error: the template `{rel}` {why}; it was not read\n\
             hint: templates are read only as regular files inside the vault; replace it with \
             a copy (`vault init --templates` writes the built-in ones)"
        )))
    };
    if metadata.file_type().is_symlink() {
        return Err(refuse("is a symbolic link"));
    }
    if !metadata.is_file() {
        return Err(refuse("is not a regular file"));
    }
    let inside = match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err(refuse("lies outside the vault (its folder is a link)"));
    }
    std::fs::read_to_string(&path)
        .map(Some)
        .with_context(|| format!("reading the template `{rel}`"))
}

fn template_error(source: &str, error: &tera::Error) -> anyhow::Error {
    anyhow::Error::new(Rendered(format!(
        "vault: error in template `{source}` (nothing was written):\n{error}\n\
         hint: `vault docs templates` lists the variables each template can use"
    )))
}

/// `{{ name | wikilink }}` -> `[[name]]`.
fn wikilink(name: &str, _: Kwargs, _: &State) -> String {
    format!("[[{name}]]")
}

/// `{{ text | quote }}` -> a double-quoted string, safe as a YAML value.
fn quote(text: &str, _: Kwargs, _: &State) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Templates::load(dir.path(), "templates").is_ok());
    }

    #[test]
    fn overrides_win_and_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("t")).unwrap();
        std::fs::write(dir.path().join("t/remind.txt.tera"), "{{ who | wikilink }}").unwrap();
        let templates = Templates::load(dir.path(), "t").unwrap();
        let out = templates
            .render(REMIND, &serde_json::json!({"who": "Ana"}))
            .unwrap();
        assert_eq!(out, "[[Ana]]");
        let error = templates
            .render(REMIND, &serde_json::json!({}))
            .unwrap_err()
            .to_string();
        assert!(error.contains("t/remind.txt.tera:1:"), "{error}");
        std::fs::write(
            dir.path().join("t/review.md.tera"),
            "line\n{% for x in %}\n",
        )
        .unwrap();
        let error = Templates::load(dir.path(), "t").err().unwrap().to_string();
        assert!(error.contains("t/review.md.tera:2:"), "{error}");
    }
}
