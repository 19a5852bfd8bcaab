//! Keeps Typst's memo cache within bounds during a build.
//!
//! Typst memoises layouts, shaped text and evaluated modules in global caches that grow with
//! every document; `comemo::evict(max_age)` drops what has not been used in the last
//! `max_age` evictions. Evicting is not free: it walks every cache under a write lock
//! (10–40 ms once the caches hold a few documents, while the other threads wait for the
//! cache), and what it drops may be what the next practice's copy of the same leaflet would
//! have found. So a build evicts when the memory in use has grown by [`STEP`] since the last
//! eviction, whichever thread notices first, without stopping the others; and only at the
//! end of a *round* (a practice's documents of one text, `build::round_ends`), keeping what
//! was used since the last eviction, so everything a round laid out is still there for the
//! next practice's round. Inside a round the caches are trimmed only if memory has grown by
//! [`INSIDE`] steps (a round of very large documents).
//!
//! Measured (2 cores; the hernia demo with four more practices of the second's house style,
//! Dutch and English, one job): evicting whenever memory had grown by a step, keeping two
//! intervals, trimmed three times during the first practice's Dutch round (its seven formats
//! laid out in full grow memory fastest), which dropped the handout's, the booklet's and the
//! slides' layouts before the second practice's copies came: those took 131, 328 and 122 ms
//! to compile, the third practice's 28, 29 and 18; trimmed at round ends they take 19, 18 and
//! 19. Keeping two intervals at round ends raised the peak of the 52-practice network build
//! from 423 to 563 MB (what the first practice of each language laid out stayed two rounds
//! longer); keeping one, 462–490 MB, in the same time within the machine's noise (38.4 and
//! 39.8 s against 37.8 and 39.8 s, a slow night). Before rounds (2026-12-04, the demo with 10
//! more practices): a 32 MB step 9.7–11.2 s and 390–400 MB peak, 48 MB 10.4–10.5 s and
//! 461–466 MB, 64 MB 10.3–10.4 s and 536–545 MB; trimming after every 4 documents keeping one
//! interval took twice as long.

use std::sync::Mutex;

/// Growth of the memory in use, in bytes, after which the caches are trimmed.
pub const STEP: usize = 32 << 20;

/// Inside a round, the caches are trimmed only once memory has grown by this many steps.
const INSIDE: usize = 3;

/// Evictions a memoised result survives unused.
const MAX_AGE: usize = 1;

/// Without the counting allocator (leafpress used as a library, as in its tests), the caches
/// are trimmed every this many documents instead.
const EVERY: usize = 8;

/// When the caches were last trimmed, and what was in use just after.
pub struct Trim {
    /// Bytes in use just after the last trim (or at the start), and documents since.
    last: Mutex<(usize, usize)>,
}

impl Default for Trim {
    fn default() -> Self {
        Self::new()
    }
}

impl Trim {
    /// Starts counting from the memory in use now.
    pub fn new() -> Self {
        Trim { last: Mutex::new((crate::limits::in_use_bytes(), 0)) }
    }

    /// Called after each document: at the end of a round (`round_end`, see
    /// `build::round_ends`), trims the caches when memory has grown by a step since the last
    /// trim. One thread trims at a time; a thread that finds another trimming goes on.
    pub fn after_document(&self, round_end: bool) {
        let Ok(mut last) = self.last.try_lock() else { return };
        let (bytes, docs) = &mut *last;
        *docs += 1;
        let now = crate::limits::in_use_bytes();
        let due = if now == 0 {
            round_end && *docs >= EVERY
        } else {
            now >= bytes.saturating_add(if round_end { STEP } else { INSIDE * STEP })
        };
        if due {
            crate::timings::time(crate::timings::Stage::Trim, None, || typst::comemo::evict(MAX_AGE));
            *bytes = crate::limits::in_use_bytes();
            *docs = 0;
        }
    }
}
