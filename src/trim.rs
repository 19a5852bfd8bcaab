//! Keeps Typst's memo cache within bounds during a build.
//!
//! Typst memoises layouts, shaped text and evaluated modules in global caches that grow with
//! every document; `comemo::evict(max_age)` drops what has not been used in the last
//! `max_age` evictions. Evicting is not free: it walks every cache under a write lock
//! (10–40 ms once the caches hold a few documents, while the other threads wait for the
//! cache), and what it drops may be what the next practice's copy of the same leaflet would
//! have found. So a build evicts when the memory in use has grown by [`STEP`] since the last
//! eviction, whichever thread notices first, without stopping the others, and keeps what was
//! used in the last two intervals.
//!
//! Measured (2 cores; the demo with 10 more practices like the second, 340 documents, and
//! with 4 more, 140): a 32 MB step 9.7–11.2 s and 390–400 MB peak, 4.5 s and 363–375 MB;
//! 48 MB 10.4–10.5 s and 461–466 MB, 4.5–4.6 s and 417–422 MB; 64 MB 10.3–10.4 s and
//! 536–545 MB, 4.8–5.2 s and 497–518 MB. Keeping one interval, trimmed after every 4
//! documents, took twice as long (the next practice's layouts were gone); keeping three
//! raised the peak for no gain. The former scheme (trim after every 8 groups, the threads
//! waiting for each other) took 12.6 s and 455 MB, 6.0 s and 410 MB, with the C library's
//! allocator (see `limits::Counting`).

use std::sync::Mutex;

/// Growth of the memory in use, in bytes, after which the caches are trimmed.
pub const STEP: usize = 32 << 20;

/// Evictions a memoised result survives unused.
const MAX_AGE: usize = 2;

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

    /// Called after each document: trims the caches when memory has grown by a step. One
    /// thread trims at a time; a thread that finds another trimming goes on.
    pub fn after_document(&self) {
        let Ok(mut last) = self.last.try_lock() else { return };
        let (bytes, docs) = &mut *last;
        *docs += 1;
        let now = crate::limits::in_use_bytes();
        let due = if now == 0 { *docs >= EVERY } else { now >= bytes.saturating_add(STEP) };
        if due {
            typst::comemo::evict(MAX_AGE);
            *bytes = crate::limits::in_use_bytes();
            *docs = 0;
        }
    }
}
