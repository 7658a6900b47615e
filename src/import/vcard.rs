//! vCard files (2.1 from old phones, 3.0, 4.0): folded lines, groups (`item1.EMAIL`), quoted
//! and bare parameters, quoted-printable values in any charset, escaped `,` `;` and line
//! breaks. Each card gives a [`Person`]: its name (`FN`, else `N`), nicknames as aliases,
//! `ORG`, `TITLE` (else `ROLE`) as `role`, every `EMAIL` and `TEL`, URLs and social profiles as
//! channels, `CATEGORIES` as tags. `PHOTO`, `LOGO`, `SOUND`, `KEY`, addresses, birthdays and
//! notes are skipped. Also [`write`]: vCard 4.0 of the vault's partners, for `vault export`.

use super::matching::linkedin_key;
use super::{Person, Problem, Read};
use encoding_rs::{Encoding, UTF_8};

/// One content line: `group.NAME;PARAM=VALUE:value`, unfolded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Property {
    pub line: usize,
    /// Uppercase, without its group.
    pub name: String,
    /// Parameter names uppercase; a bare parameter (vCard 2.1's `TEL;CELL:`) is `TYPE`.
    pub params: Vec<(String, String)>,
    /// The value as written (escapes kept), decoded from quoted-printable and its charset.
    pub value: String,
}

impl Property {
    pub fn param<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
    }

    /// The value as text, escapes undone.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }

    /// The parts of a structured value (`N`, `ORG`), split at unescaped `;`.
    fn parts(&self) -> Vec<String> {
        split_unescaped(&self.value, ';')
            .iter()
            .map(|p| unescape(p))
            .collect()
    }

    /// The items of a list value (`CATEGORIES`, `NICKNAME`), split at unescaped `,`.
    fn items(&self) -> Vec<String> {
        split_unescaped(&self.value, ',')
            .iter()
            .map(|p| unescape(p))
            .collect()
    }
}

/// The properties of `text` with the line each starts at: folded lines joined (a line that
/// starts with a space or tab continues the one before), and quoted-printable soft line
/// breaks (`=` at a line's end) joined.
pub(super) fn properties(text: &str) -> Vec<Property> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut soft_break = false;
    for (number, line) in super::input::lines(text) {
        if soft_break {
            if let Some((_, last)) = logical.last_mut() {
                last.pop();
                last.push_str(line);
                soft_break = is_quoted_printable(last) && last.ends_with('=');
                continue;
            }
        }
        match line.strip_prefix([' ', '\t']) {
            Some(rest) if !logical.is_empty() => {
                logical.last_mut().expect("not empty").1.push_str(rest)
            }
            _ if line.trim().is_empty() => continue,
            _ => logical.push((number, line.to_string())),
        }
        let last = &logical.last().expect("pushed").1;
        soft_break = is_quoted_printable(last) && last.ends_with('=');
    }
    logical
        .into_iter()
        .filter_map(|(line, text)| parse_line(line, &text))
        .collect()
}

fn is_quoted_printable(line: &str) -> bool {
    let head = line.split(':').next().unwrap_or("");
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

fn parse_line(line: usize, text: &str) -> Option<Property> {
    // The value starts at the first `:` outside a quoted parameter value.
    let mut quoted = false;
    let colon = text.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let (head, raw_value) = (&text[..colon], &text[colon + 1..]);
    let mut segments = split_quoted(head, ';').into_iter();
    let name = segments.next()?;
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(&name)
        .trim()
        .to_ascii_uppercase();
    let params: Vec<(String, String)> = segments
        .map(|segment| match segment.split_once('=') {
            Some((k, v)) => (
                k.trim().to_ascii_uppercase(),
                v.trim().trim_matches('"').to_string(),
            ),
            None => ("TYPE".to_string(), segment.trim().to_string()),
        })
        .collect();
    let quoted_printable = params.iter().any(|(k, v)| {
        (k == "ENCODING" || k == "TYPE") && v.eq_ignore_ascii_case("QUOTED-PRINTABLE")
    });
    let value = if quoted_printable {
        let charset = params
            .iter()
            .find(|(k, _)| k == "CHARSET")
            .and_then(|(_, v)| Encoding::for_label(v.as_bytes()))
            .unwrap_or(UTF_8);
        let bytes = decode_quoted_printable(raw_value);
        charset.decode_without_bom_handling(&bytes).0.into_owned()
    } else {
        raw_value.to_string()
    };
    Some(Property {
        line,
        name,
        params,
        value,
    })
}

/// `=XX` escapes as bytes; anything else as it is.
fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// `text` split at `separator` outside double quotes.
fn split_quoted(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == separator && !quoted {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("one part").push(c);
        }
    }
    parts
}

/// `text` split at `separator` where no backslash escapes it (escapes kept).
fn split_unescaped(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let part = parts.last_mut().expect("one part");
        if c == '\\' {
            part.push(c);
            if let Some(next) = chars.next() {
                part.push(next);
            }
        } else if c == separator {
            parts.push(String::new());
        } else {
            part.push(c);
        }
    }
    parts
}

/// `\n` as a line break, `\,` `\;` `\\` as the character.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('n' | 'N')) => {
                out.push('\n');
                chars.next();
            }
            ('\\', Some(next @ (',' | ';' | '\\' | ':'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Properties read for nothing: pictures, keys and sounds (often kilobytes of base64), and
/// what a partner note has no key for.
const SKIPPED: [&str; 7] = ["PHOTO", "LOGO", "SOUND", "KEY", "ADR", "BDAY", "LABEL"];

/// Reads every card of a vCard file.
pub fn read(text: &str) -> anyhow::Result<Read> {
    let properties = properties(text);
    if !properties
        .iter()
        .any(|p| p.name == "BEGIN" && p.value.eq_ignore_ascii_case("VCARD"))
    {
        anyhow::bail!(
            "no `BEGIN:VCARD` line: this is not a vCard file\nhint: export contacts as vCard \
             (.vcf) from your phone, Google Contacts or Apple Contacts"
        );
    }
    let mut read = Read::default();
    let mut card: Option<(usize, Vec<Property>)> = None;
    let mut skipped = std::collections::BTreeSet::new();
    for property in properties {
        match (property.name.as_str(), &mut card) {
            ("BEGIN", _) if property.value.eq_ignore_ascii_case("VCARD") => {
                if let Some((line, _)) = card.take() {
                    read.problems.push(Problem::at(
                        line,
                        "the card has no `END:VCARD` before the next card; skipped",
                    ));
                }
                card = Some((property.line, Vec::new()));
            }
            ("END", Some(_)) if property.value.eq_ignore_ascii_case("VCARD") => {
                let (line, properties) = card.take().expect("in a card");
                match person_of(line, &properties, &mut skipped) {
                    Some(person) => read.people.push(person),
                    None => read.problems.push(Problem::at(
                        line,
                        "the card has no name (no FN, N, ORG or EMAIL); skipped",
                    )),
                }
            }
            (_, Some((_, properties))) => properties.push(property),
            (_, None) => {}
        }
    }
    if let Some((line, _)) = card {
        read.problems.push(Problem::at(
            line,
            "the card has no `END:VCARD`; skipped (is the file cut short?)",
        ));
    }
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.into_iter().collect();
        read.notes
            .push(format!("not imported: {}", names.join(", ")));
    }
    Ok(read)
}

fn person_of(
    line: usize,
    properties: &[Property],
    skipped: &mut std::collections::BTreeSet<&'static str>,
) -> Option<Person> {
    let mut person = Person {
        line,
        ..Person::default()
    };
    let first = |name: &str| properties.iter().find(|p| p.name == name);
    let full_name = first("FN").map(Property::text).filter(|n| !n.is_empty());
    let structured_name = || {
        first("N").map(|n| {
            // family;given;additional;prefixes;suffixes
            let parts = n.parts();
            let at = |i: usize| parts.get(i).map_or("", |s| s.as_str());
            [at(3), at(1), at(2), at(0), at(4)]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let org = first("ORG").and_then(|o| o.parts().into_iter().find(|p| !p.is_empty()));
    person.name = full_name
        .or_else(|| structured_name().filter(|n| !n.is_empty()))
        .or_else(|| org.clone())
        .or_else(|| first("EMAIL").map(Property::text))
        .unwrap_or_default();
    if person.name.is_empty() {
        return None;
    }
    if let Some(org) = org.filter(|o| *o != person.name) {
        person.set("org", &org);
    }
    if let Some(title) = first("TITLE").or_else(|| first("ROLE")) {
        person.set("role", &title.text());
    }
    for property in properties {
        match property.name.as_str() {
            "EMAIL" => person.set(
                "channels.email",
                property.text().trim_start_matches("mailto:"),
            ),
            "TEL" => person.set("channels.phone", property.text().trim_start_matches("tel:")),
            "URL" => {
                let url = property.text();
                let channel = social_channel(&url).unwrap_or("website");
                person.set(&format!("channels.{channel}"), &url);
            }
            "X-SOCIALPROFILE" => {
                let url = property.text();
                let named = property
                    .param("TYPE")
                    .map(|t| t.trim().to_ascii_lowercase())
                    .find(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric()));
                let channel = social_channel(&url)
                    .map(str::to_string)
                    .or(named)
                    .unwrap_or_else(|| "website".to_string());
                person.set(&format!("channels.{channel}"), &url);
            }
            "NOTE" => person.add_about(&property.text()),
            "X-TWITTER" => person.set("channels.twitter", &property.text()),
            "CATEGORIES" => property.items().iter().for_each(|t| person.add_tag(t)),
            "NICKNAME" => property.items().iter().for_each(|a| person.add_alias(a)),
            name => {
                if let Some(known) = SKIPPED.iter().find(|s| **s == name) {
                    skipped.insert(*known);
                }
            }
        }
    }
    Some(person)
}

/// The channel a profile URL belongs to, by its host.
fn social_channel(url: &str) -> Option<&'static str> {
    if linkedin_key(url).is_some() {
        return Some("linkedin");
    }
    let lower = url.to_lowercase();
    let host = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, r)| r)
        .split('/')
        .next()
        .unwrap_or("")
        .trim_start_matches("www.");
    match host {
        "twitter.com" | "x.com" => Some("twitter"),
        "instagram.com" => Some("instagram"),
        "youtube.com" => Some("youtube"),
        "tiktok.com" => Some("tiktok"),
        "bsky.app" => Some("bluesky"),
        _ => None,
    }
}

/// What `write` needs of a partner.
pub struct Card<'a> {
    pub name: &'a str,
    pub aliases: Vec<&'a str>,
    pub org: Option<&'a str>,
    pub role: Option<String>,
    /// Channel names and values, as the note has them.
    pub channels: &'a [(String, String)],
    pub tags: Vec<&'a str>,
    /// A stable identity: the partner's `id`, or its file.
    pub uid: String,
}

/// One vCard 4.0 (RFC 6350): escaped values, lines folded at 75 bytes, CRLF.
pub fn write(card: &Card) -> String {
    let mut lines = vec![
        "BEGIN:VCARD".to_string(),
        "VERSION:4.0".to_string(),
        format!("FN:{}", escape(card.name)),
        format!("N:{}", structured(card.name)),
        format!("UID:urn:vault:{}", escape(&card.uid)),
    ];
    if !card.aliases.is_empty() {
        let items: Vec<String> = card.aliases.iter().map(|a| escape(a)).collect();
        lines.push(format!("NICKNAME:{}", items.join(",")));
    }
    if let Some(org) = card.org {
        lines.push(format!("ORG:{}", escape(org)));
    }
    if let Some(role) = &card.role {
        lines.push(format!("TITLE:{}", escape(role)));
    }
    for (channel, value) in card.channels {
        let base = channel.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        lines.push(match base {
            "email" => format!("EMAIL:{}", escape(value)),
            "phone" => format!("TEL:{}", escape(value)),
            "website" => format!("URL:{}", escape(value)),
            other => format!(
                "X-SOCIALPROFILE;TYPE={}:{}",
                other.to_ascii_lowercase(),
                escape(value)
            ),
        });
    }
    if !card.tags.is_empty() {
        let items: Vec<String> = card.tags.iter().map(|t| escape(t)).collect();
        lines.push(format!("CATEGORIES:{}", items.join(",")));
    }
    lines.push("END:VCARD".to_string());
    lines.iter().map(|l| fold(l)).collect()
}

/// `N`: the last word as the family name, the rest as given names.
fn structured(name: &str) -> String {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => format!("{};{};;;", escape(family), escape(given)),
        None => format!("{};;;;", escape(name)),
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// A content line folded at 75 bytes (never inside a character), with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_folded_escaped_and_grouped_properties() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana López\r\nN:López;Ana;;;\r\n\
                    ORG:Acme\\, Inc.;Partnerships\r\nitem1.EMAIL;TYPE=INTERNET;TYPE=pref:ana@\r\n \
                    acme.org\r\nEMAIL;TYPE=HOME:ana@home.org\r\nTEL;TYPE=CELL:+34 600 000 000\r\n\
                    X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/ana\r\n\
                    PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\n\
                    CATEGORIES:Podcasts,Spain\r\nEND:VCARD\r\n";
        let read = read(text).unwrap();
        let ana = &read.people[0];
        assert_eq!(ana.name, "Ana López");
        assert_eq!(ana.get("org"), Some("Acme, Inc."));
        assert_eq!(
            ana.emails().collect::<Vec<_>>(),
            ["ana@acme.org", "ana@home.org"]
        );
        assert_eq!(ana.get("channels.phone"), Some("+34 600 000 000"));
        assert_eq!(
            ana.get("channels.linkedin"),
            Some("https://www.linkedin.com/in/ana")
        );
        assert_eq!(ana.tags, ["Podcasts", "Spain"]);
        assert_eq!(read.notes, ["not imported: PHOTO"]);
    }

    #[test]
    fn reads_an_old_phones_quoted_printable_latin1_card() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:\
                    Ma=EFa;Jos=\n=E9;;;\nTEL;CELL:+33 6 00\nEND:VCARD\nBEGIN:VCARD\nVERSION:2.1\
                    \nTEL:1\nEND:VCARD\n";
        let read = read(text).unwrap();
        assert_eq!(read.people[0].name, "José Maïa");
        assert_eq!(read.people[0].get("channels.phone"), Some("+33 6 00"));
        assert_eq!(
            read.problems,
            [Problem::at(7, read.problems[0].message.clone())]
        );
    }

    #[test]
    fn a_written_card_reads_back_the_same() {
        let channels = vec![
            ("email".to_string(), "ana@acme.org".to_string()),
            (
                "linkedin".to_string(),
                "https://www.linkedin.com/in/ana".to_string(),
            ),
        ];
        let card = Card {
            name: "Ana López; the second",
            aliases: vec!["Ana"],
            org: Some("Acme, Inc."),
            role: Some("Head of a very long title that goes on and on past the fold".into()),
            channels: &channels,
            tags: vec!["podcast"],
            uid: "ana-lopez".into(),
        };
        let text = write(&card);
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
        let person = &read(&text).unwrap().people[0];
        assert_eq!(person.name, card.name);
        assert_eq!(person.get("org"), card.org);
        assert_eq!(person.get("role"), card.role.as_deref());
        assert_eq!(person.get("channels.email"), Some("ana@acme.org"));
        assert_eq!(
            person.get("channels.linkedin"),
            Some("https://www.linkedin.com/in/ana")
        );
        assert_eq!(person.aliases, ["Ana"]);
    }
}
