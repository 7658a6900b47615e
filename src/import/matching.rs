//! Who an imported person already is: a partner with the same email, else the same LinkedIn
//! profile, else the same name or alias ignoring case and accents (`José López` is
//! `jose lopez`); or someone met earlier in the same input.

use super::Person;
use crate::slug::slug;
use crate::vault::Vault;
use std::collections::HashMap;

/// Someone already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// A partner of the vault (its index).
    Partner(usize),
    /// A person read earlier from the same input (the line it started at).
    Earlier(usize),
}

/// What two people were found the same by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Email,
    LinkedIn,
    Name,
}

impl By {
    pub fn describe(self) -> &'static str {
        match self {
            By::Email => "email",
            By::LinkedIn => "LinkedIn profile",
            By::Name => "name",
        }
    }
}

/// The vault's partners (and the people added so far) by email, LinkedIn profile and name.
#[derive(Debug, Default)]
pub struct Matcher {
    by_email: HashMap<String, Known>,
    by_linkedin: HashMap<String, Known>,
    by_name: HashMap<String, Known>,
}

impl Matcher {
    pub fn new(vault: &Vault) -> Matcher {
        let mut matcher = Matcher::default();
        for (i, p) in vault.partners.iter().enumerate() {
            let known = Known::Partner(i);
            for (channel, address) in p.channels.get() {
                if channel_is(channel, "email") {
                    matcher.by_email.entry(email_key(address)).or_insert(known);
                } else if let Some(key) = linkedin_key(address) {
                    matcher.by_linkedin.entry(key).or_insert(known);
                }
            }
            for name in p.names() {
                matcher.by_name.entry(name_key(name)).or_insert(known);
            }
        }
        matcher
    }

    /// Who `person` already is, and by what; emails first, then the LinkedIn profile, then
    /// the name and aliases.
    pub fn find(&self, person: &Person) -> Option<(Known, By)> {
        let by_email = person
            .emails()
            .find_map(|e| self.by_email.get(&email_key(e)))
            .map(|&k| (k, By::Email));
        let by_linkedin = || {
            linkedin_urls(person)
                .find_map(|key| self.by_linkedin.get(&key))
                .map(|&k| (k, By::LinkedIn))
        };
        let by_name = || {
            std::iter::once(&person.name)
                .chain(&person.aliases)
                .find_map(|n| self.by_name.get(&name_key(n)))
                .map(|&k| (k, By::Name))
        };
        by_email.or_else(by_linkedin).or_else(by_name)
    }

    /// The partner with this email, else (when given) this name or alias.
    pub fn partner(&self, email: &str, name: Option<&str>) -> Option<usize> {
        let by_email = (!email.is_empty())
            .then(|| self.by_email.get(&email_key(email)))
            .flatten();
        let by_name = || {
            name.map(name_key)
                .filter(|key| !key.is_empty())
                .and_then(|key| self.by_name.get(&key))
        };
        match by_email.or_else(by_name) {
            Some(Known::Partner(partner)) => Some(*partner),
            _ => None,
        }
    }

    /// Remembers `person` as `known`, so that a later record of the same person matches it.
    pub fn add(&mut self, person: &Person, known: Known) {
        for email in person.emails() {
            self.by_email.entry(email_key(email)).or_insert(known);
        }
        for key in linkedin_urls(person) {
            self.by_linkedin.entry(key).or_insert(known);
        }
        for name in std::iter::once(&person.name).chain(&person.aliases) {
            self.by_name.entry(name_key(name)).or_insert(known);
        }
    }
}

fn linkedin_urls(person: &Person) -> impl Iterator<Item = String> + '_ {
    person
        .values
        .iter()
        .filter(|(k, _)| k.starts_with("channels."))
        .filter_map(|(_, v)| linkedin_key(v))
}

/// Whether a channel's name is `base` or a numbered second of it (`email_2`).
pub fn channel_is(channel: &str, base: &str) -> bool {
    super::same_key(&channel.to_ascii_lowercase(), base)
}

/// An email as compared: trimmed, lowercase, without `mailto:`.
pub fn email_key(email: &str) -> String {
    let email = email.trim();
    let email = email
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map_or(email, |_| &email[7..]);
    email.to_lowercase()
}

/// A LinkedIn profile's URL as compared (`linkedin.com/in/ana-lopez`), whatever its scheme,
/// `www.` or country subdomain, query or trailing slash; `None` for any other URL.
pub fn linkedin_key(url: &str) -> Option<String> {
    let url = url.trim().to_lowercase();
    let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host != "linkedin.com" && !host.ends_with(".linkedin.com") {
        return None;
    }
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    (!path.is_empty()).then(|| format!("linkedin.com/{path}"))
}

/// A name as compared: the slug file names are made from (case and accents folded, runs of
/// anything but letters and digits as one `-`).
pub fn name_key(name: &str) -> String {
    slug(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_profiles_compare_whatever_the_form_of_the_url() {
        let key = Some("linkedin.com/in/ana-lopez".to_string());
        for url in [
            "https://www.linkedin.com/in/ana-lopez/",
            "http://linkedin.com/in/Ana-Lopez?trk=x",
            "www.linkedin.com/in/ana-lopez",
            "https://es.linkedin.com/in/ana-lopez#about",
        ] {
            assert_eq!(linkedin_key(url), key, "{url}");
        }
        assert_eq!(linkedin_key("https://example.com/in/ana"), None);
        assert_eq!(linkedin_key("https://notlinkedin.com/in/ana"), None);
    }

    #[test]
    fn emails_and_names_compare_ignoring_case_and_accents() {
        assert_eq!(email_key(" MAILTO:Ana@Example.COM "), "ana@example.com");
        assert_eq!(name_key("José  López"), name_key("jose lopez"));
        assert_ne!(name_key("José López"), name_key("José Lopes"));
    }

    #[test]
    fn a_person_matches_by_email_before_name_and_earlier_people_count() {
        let mut matcher = Matcher::default();
        let mut ana = Person {
            line: 2,
            name: "Ana López".into(),
            ..Person::default()
        };
        ana.set("channels.email", "ana@example.com");
        matcher.add(&ana, Known::Earlier(2));
        let mut again = Person {
            line: 9,
            name: "A. Lopez".into(),
            ..Person::default()
        };
        again.set("channels.email", "ANA@example.com");
        assert_eq!(matcher.find(&again), Some((Known::Earlier(2), By::Email)));
        let by_name = Person {
            line: 10,
            name: "ana lopez".into(),
            ..Person::default()
        };
        assert_eq!(matcher.find(&by_name), Some((Known::Earlier(2), By::Name)));
    }
}
