//! A list of short strings kept in one allocation (a note's aliases, tags, a task's links):
//! their texts back to back and where each ends, rather than a heap string per item.

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Strs {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Strs {
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            text: &self.text,
            start: 0,
            ends: self.ends.iter(),
        }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn join(&self, separator: &str) -> String {
        self.iter().collect::<Vec<_>>().join(separator)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Strs {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Strs {
        let mut text = String::new();
        let ends = items
            .into_iter()
            .map(|item| {
                text.push_str(item.as_ref());
                crate::markdown::to_u32(text.len())
            })
            .collect();
        Strs {
            text: text.into_boxed_str(),
            ends,
        }
    }
}

/// The items of a [`Strs`], in order.
#[derive(Clone)]
pub struct Iter<'a> {
    text: &'a str,
    start: usize,
    ends: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()? as usize;
        let item = &self.text[self.start..end];
        self.start = end;
        Some(item)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Strs {
    type Item = &'a str;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl std::fmt::Debug for Strs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Strs {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Strs {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

/// A list of strings, for the cache, JSON and templates alike.
impl Serialize for Strs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Strs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strs, D::Error> {
        struct Items;
        impl<'de> Visitor<'de> for Items {
            type Value = Strs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strs, A::Error> {
                // Each item is appended to the text as it is read: no string of its own.
                let mut text = String::new();
                let mut ends = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while seq.next_element_seed(AppendTo(&mut text))?.is_some() {
                    ends.push(crate::markdown::to_u32(text.len()));
                }
                Ok(Strs {
                    text: text.into_boxed_str(),
                    ends: ends.into_boxed_slice(),
                })
            }
        }
        deserializer.deserialize_seq(Items)
    }
}

/// Reads one string onto the end of another.
struct AppendTo<'t>(&'t mut String);

impl<'de> DeserializeSeed<'de> for AppendTo<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for AppendTo<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, item: &str) -> Result<(), E> {
        self.0.push_str(item);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_as_given_through_the_cache_and_json() {
        let items: Strs = ["Ana", "", "A. L.", "Zoë"].into_iter().collect();
        assert_eq!(
            items.iter().collect::<Vec<_>>(),
            ["Ana", "", "A. L.", "Zoë"]
        );
        assert_eq!(items.len(), 4);
        assert_eq!(items.join(", "), "Ana, , A. L., Zoë");
        let cached: Strs = postcard::from_bytes(&postcard::to_allocvec(&items).unwrap()).unwrap();
        assert_eq!(cached, items);
        assert_eq!(
            serde_json::to_string(&items).unwrap(),
            r#"["Ana","","A. L.","Zoë"]"#
        );
        assert!(Strs::default().is_empty());
    }
}
