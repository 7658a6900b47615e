//! How strong a relationship is, 0-100: the signals the tie-strength literature finds most
//! predictive (Gilbert and Karahalios, "Predicting Tie Strength With Social Media", CHI 2009:
//! recency and frequency of contact first, then reciprocity and the friendship's age), each
//! scaled to 0..1 and weighted. See docs/format.md, "Relationship strength", for a worked
//! example.

use crate::cadence::days_between;
use crate::partner::Partner;
use crate::vault::Derived;
use chrono::NaiveDate;

/// Days after which recency halves.
pub const RECENCY_HALF_LIFE: f64 = 90.0;
/// Touch days in a year that count as the most frequent contact (about monthly).
pub const FREQUENT: f64 = 12.0;
/// Years after which a relationship counts as old.
pub const OLD: f64 = 2.0;
/// Weights of recency, frequency, reciprocity and age (they sum to 1).
pub const WEIGHTS: [f64; 4] = [0.4, 0.3, 0.15, 0.15];

/// The four signals, each 0..1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signals {
    /// 0.5 to the power of (days since the last touch / 90); 0 when never touched.
    pub recency: f64,
    /// Touch days in the last 365 days / 12, at most 1.
    pub frequency: f64,
    /// 2 min(gave, got) / (gave + got) within the reciprocity window; 0 when neither.
    pub reciprocity: f64,
    /// Years since `since` (else the first touch) / 2, at most 1.
    pub age: f64,
}

impl Signals {
    pub fn of(partner: &Partner, derived: &Derived, today: NaiveDate) -> Signals {
        let recency = derived.last_touch.map_or(0.0, |last| {
            let days = days_between(last, today).max(0) as f64;
            0.5f64.powf(days / RECENCY_HALF_LIFE)
        });
        let frequency = (f64::from(derived.touch_days) / FREQUENT).min(1.0);
        let (gave, got) = (derived.gave as f64, derived.got as f64);
        let reciprocity = if gave + got == 0.0 {
            0.0
        } else {
            2.0 * gave.min(got) / (gave + got)
        };
        let began = partner.since.or(derived.first_touch);
        let age = began.map_or(0.0, |began| {
            let years = days_between(began, today).max(0) as f64 / 365.25;
            (years / OLD).min(1.0)
        });
        Signals {
            recency,
            frequency,
            reciprocity,
            age,
        }
    }

    /// The weighted sum, 0-100, rounded.
    pub fn score(&self) -> u32 {
        let [r, f, m, a] = WEIGHTS;
        let sum = r * self.recency + f * self.frequency + m * self.reciprocity + a * self.age;
        (100.0 * sum).round().clamp(0.0, 100.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of docs/format.md.
    #[test]
    fn the_documented_example() {
        let signals = Signals {
            recency: 0.5f64.powf(30.0 / 90.0),
            frequency: 6.0 / 12.0,
            reciprocity: 2.0 * 1.0 / 3.0,
            age: 1.0,
        };
        assert!((signals.recency - 0.7937).abs() < 1e-4);
        assert_eq!(signals.score(), 72);
    }
}
