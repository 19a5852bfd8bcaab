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
//! Measured on the demo with four more practices like the second (140 documents, 2 threads,
//! see the README's performance section), against the former fixed trim after every 8 groups:
//! a 32 MB step 5.64 s and 272 MB peak; 64 MB 5.17 s and 405 MB; 128 MB 5.16 s and 619 MB;
//! keeping three intervals at 64 MB 5.25 s and 476 MB; keeping one, after every 4 documents,
//! 10.07 s (the next practice's layouts were gone); the former scheme 5.96 s and 409 MB.

use std::sync::Mutex;

/// Growth of the memory in use, in bytes, after which the caches are trimmed.
pub const STEP: usize = 64 << 20;

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
