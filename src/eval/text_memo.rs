//! Remembered text-test results: a cell's exact text in, the bits its
//! field's tests gave for it out ([`super::text_groups`]), if seen recently.
//!
//! Exported inquiry lists repeat the same few hundred job titles, company
//! suffixes and note templates row after row; running a field's tests (lists,
//! `contains`, regexes) costs far more than hashing the text and comparing it
//! with the one remembered in its slot. The memo is exact (the key is the
//! very text the tests were run on)
//! and per worker, so results and output never depend on it. A column whose
//! values rarely repeat (emails, free notes) would only pay for the hashing:
//! after [`TRIAL`] look-ups with fewer than half hits the memo turns itself
//! off for the rest of the run.

/// Slots per memo: direct-mapped, the newest text in a slot wins.
const SLOTS: usize = 256;
const _: () = assert!(SLOTS.is_power_of_two());
/// Look-ups before deciding whether remembering pays.
const TRIAL: u32 = 4096;

pub struct TextMemo {
    slots: Vec<Option<(Box<str>, u64)>>,
    lookups: u32,
    hits: u32,
    off: bool,
}

impl Default for TextMemo {
    fn default() -> Self {
        TextMemo {
            slots: vec![None; SLOTS],
            lookups: 0,
            hits: 0,
            off: false,
        }
    }
}

impl TextMemo {
    /// The bits remembered for `text`, else `compute(text)` (remembered).
    #[inline]
    pub fn get_or(&mut self, text: &str, compute: impl FnOnce(&str) -> u64) -> u64 {
        if self.off {
            return compute(text);
        }
        let slot = slot_of(text);
        if self.lookups < TRIAL {
            self.lookups += 1;
            if self.lookups == TRIAL && self.hits < TRIAL / 2 {
                self.off = true;
                self.slots = Vec::new();
                return compute(text);
            }
        }
        if let Some((key, bits)) = &self.slots[slot] {
            if **key == *text {
                self.hits = self.hits.saturating_add(1);
                return *bits;
            }
        }
        let bits = compute(text);
        self.slots[slot] = Some((text.into(), bits));
        bits
    }
}

/// Where `text` goes, from its length and its first and last eight bytes.
/// The memo compares the whole text before it trusts a slot, so a weak hash
/// can only cost a miss, never a wrong answer; reading all of a long note to
/// hash it would cost more than it saves.
#[inline]
fn slot_of(text: &str) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    // Fixed-size loads rather than a copy of up to eight bytes, which would
    // be a call to `memcpy` per look-up.
    let (head, tail) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
        _ => {
            let short = b.iter().fold(0u64, |w, &c| w << 8 | u64::from(c));
            (short, short)
        }
    };
    let h = (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // The top bits are the best mixed: 8 of them pick one of 256 slots.
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_text_is_computed_once() {
        let mut memo = TextMemo::default();
        let mut calls = 0;
        for _ in 0..10 {
            let bits = memo.get_or("Office Manager", |t| {
                calls += 1;
                t.len() as u64
            });
            assert_eq!(bits, 14);
        }
        assert_eq!(calls, 1);
    }

    #[test]
    fn texts_sharing_a_slot_never_get_each_others_bits() {
        let mut memo = TextMemo::default();
        for round in 0..3 {
            for i in 0..(SLOTS * 4) {
                let text = format!("title {i}");
                let bits = memo.get_or(&text, |t| t.len() as u64 * 1000 + i as u64);
                assert_eq!(bits, text.len() as u64 * 1000 + i as u64, "round {round}");
            }
        }
    }

    #[test]
    fn it_turns_itself_off_when_values_do_not_repeat() {
        let mut memo = TextMemo::default();
        for i in 0..TRIAL {
            memo.get_or(&format!("lead{i}@example.com"), |_| 1);
        }
        assert!(memo.off);
        let mut calls = 0;
        for _ in 0..3 {
            memo.get_or("same", |_| {
                calls += 1;
                7
            });
        }
        assert_eq!(calls, 3);
    }
}
