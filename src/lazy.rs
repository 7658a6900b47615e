//! A part of a note's parse result kept in its cached, encoded form until something asks for
//! it: most runs never read a partner's full list of front-matter keys, so a warm run copies
//! those bytes instead of building every key and value.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::OnceLock;

/// A `T` that is either at hand (parsed this run) or still encoded (read from the cache).
pub struct Lazy<T> {
    /// The cache's encoding of the value; empty when the value was parsed this run.
    encoded: Box<[u8]>,
    value: OnceLock<T>,
}

impl<T: DeserializeOwned + Default> Lazy<T> {
    /// The value, decoded on first use. The bytes come from a cache file whose checksum held,
    /// written by this same build of vault, so decoding cannot fail short of a bug; should it,
    /// the value reads as empty rather than stopping the run.
    pub fn get(&self) -> &T {
        self.value
            .get_or_init(|| postcard::from_bytes(&self.encoded).unwrap_or_default())
    }
}

impl<T: Serialize> Lazy<T> {
    /// `value` kept encoded from the start: for a part few runs read, the encoded form takes a
    /// fraction of the memory (and is what the cache writes). Kept as it is should it not
    /// encode.
    pub fn encoded(value: T) -> Lazy<T> {
        match postcard::to_allocvec(&value) {
            Ok(encoded) => Lazy {
                encoded: encoded.into_boxed_slice(),
                value: OnceLock::new(),
            },
            Err(_) => Lazy::from(value),
        }
    }
}

impl<T> From<T> for Lazy<T> {
    fn from(value: T) -> Lazy<T> {
        Lazy {
            encoded: Box::default(),
            value: OnceLock::from(value),
        }
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Lazy<T> {
        Lazy::from(T::default())
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        Lazy {
            encoded: self.encoded.clone(),
            value: self.value.clone(),
        }
    }
}

impl<T: DeserializeOwned + Default + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: DeserializeOwned + Default + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Lazy<T>) -> bool {
        self.get() == other.get()
    }
}

/// Written as a byte string: the encoded form as read when the value was never decoded, else
/// the value encoded now.
impl<T: Serialize> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value.get() {
            None => serializer.serialize_bytes(&self.encoded),
            Some(value) => {
                let encoded = postcard::to_allocvec(value).map_err(serde::ser::Error::custom)?;
                serializer.serialize_bytes(&encoded)
            }
        }
    }
}

impl<'de, T> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Lazy<T>, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(deserializer)?;
        Ok(Lazy {
            encoded: bytes.into_vec().into_boxed_slice(),
            value: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_survives_the_cache_and_is_decoded_only_when_asked_for() {
        let value = vec!["gave".to_string(), "got".to_string()];
        let bytes = postcard::to_allocvec(&Lazy::from(value.clone())).unwrap();
        let read: Lazy<Vec<String>> = postcard::from_bytes(&bytes).unwrap();
        assert!(
            read.value.get().is_none(),
            "decoded before it was asked for"
        );
        // Written back untouched, it is the same bytes.
        assert_eq!(postcard::to_allocvec(&read).unwrap(), bytes);
        assert_eq!(read.get(), &value);
        assert_eq!(read.clone(), Lazy::from(value.clone()));
        // Encoded at once, it is written as the same bytes and reads back the same.
        let encoded = Lazy::encoded(value.clone());
        assert!(encoded.value.get().is_none());
        assert_eq!(postcard::to_allocvec(&encoded).unwrap(), bytes);
        assert_eq!(encoded.get(), &value);
    }

    #[test]
    fn bytes_that_do_not_decode_read_as_empty() {
        let broken: Lazy<Vec<String>> = Lazy {
            encoded: vec![0xff, 0xff].into_boxed_slice(),
            value: OnceLock::new(),
        };
        assert!(broken.get().is_empty());
    }
}
