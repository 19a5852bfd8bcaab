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
//! [`INSIDE`] steps (a round of very large documents); every trim keeps all that was used
//! since the last trim at a round's end, so a trim inside a round never costs the next
//! practice what the round used before it (the corpus fixture's first round reaches 88 MB
//! after its slides, 8 MB short of a trim inside the round; where one came, the trim at the
//! round's end dropped the print formats' module and the next practice evaluated it again).
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

/// Evictions a memoised result survives unused, counted from the last trim at a round's end
/// (see [`Ages::after`]).
const MAX_AGE: usize = 1;

/// Without the counting allocator (leafpress used as a library, as in its tests), the caches
/// are trimmed every this many documents instead.
const EVERY: usize = 8;

/// When the caches were last trimmed, and what was in use just after.
pub struct Trim {
    last: Mutex<Ages>,
}

/// What decides the next trim.
#[derive(Debug, Default, PartialEq)]
struct Ages {
    /// Bytes in use just after the last trim (or at the start).
    bytes: usize,
    /// Documents since the last trim.
    docs: usize,
    /// Trims inside the round going on (since the last trim at a round's end).
    inside: usize,
}

impl Ages {
    /// After a document, with `now` bytes in use (0 without the counting allocator): the
    /// `max_age` to evict with, if the caches are due a trim.
    ///
    /// A trim ages every memoised result by one and drops those older than `max_age`; a
    /// result's age is the number of trims since it was last used. Evicting with
    /// `MAX_AGE + inside` keeps everything used since the last trim at a round's end (in the
    /// round going on), however many trims came inside the round; a trim inside a round drops
    /// what only the rounds before used. With a plain `MAX_AGE`, a trim inside a round followed by the trim at its end
    /// dropped what the round's first documents had used and its last ones had not (the
    /// print formats' shared module after the trifold and the poster, before the slides),
    /// so the next practice's copies evaluated and laid it out again.
    fn after(&mut self, now: usize, round_end: bool) -> Option<usize> {
        self.docs += 1;
        let due = if now == 0 {
            round_end && self.docs >= EVERY
        } else {
            now >= self.bytes.saturating_add(if round_end { STEP } else { INSIDE * STEP })
        };
        if !due {
            return None;
        }
        let max_age = MAX_AGE + self.inside;
        self.docs = 0;
        self.inside = if round_end { 0 } else { self.inside + 1 };
        Some(max_age)
    }
}

impl Default for Trim {
    fn default() -> Self {
        Self::new()
    }
}

impl Trim {
    /// Starts counting from the memory in use now.
    pub fn new() -> Self {
        Trim { last: Mutex::new(Ages { bytes: crate::limits::in_use_bytes(), ..Ages::default() }) }
    }

    /// Called after each document: at the end of a round (`round_end`, see
    /// `build::round_ends`), trims the caches when memory has grown by a step since the last
    /// trim. One thread trims at a time; a thread that finds another trimming goes on.
    pub fn after_document(&self, round_end: bool) {
        let Ok(mut ages) = self.last.try_lock() else { return };
        if let Some(max_age) = ages.after(crate::limits::in_use_bytes(), round_end) {
            crate::timings::time(crate::timings::Stage::Trim, None, || typst::comemo::evict(max_age));
            ages.bytes = crate::limits::in_use_bytes();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replays comemo's ageing (`evict`: every age goes up by one, older than `max_age` is
    /// dropped; a use sets the age to 0) for named results, over a run of documents.
    struct Cache(Vec<(&'static str, usize)>);

    impl Cache {
        fn used(&mut self, name: &'static str) {
            match self.0.iter_mut().find(|(n, _)| *n == name) {
                Some((_, age)) => *age = 0,
                None => self.0.push((name, 0)),
            }
        }
        fn evict(&mut self, max_age: usize) {
            self.0.retain_mut(|(_, age)| {
                *age += 1;
                *age <= max_age
            });
        }
        fn has(&self, name: &str) -> bool {
            self.0.iter().any(|(n, _)| *n == name)
        }
    }

    /// A build's documents: what each uses, and how much memory it adds.
    struct Run {
        ages: Ages,
        cache: Cache,
        now: usize,
    }

    impl Run {
        fn document(&mut self, uses: &[&'static str], grown: usize, round_end: bool) {
            for u in uses {
                self.cache.used(u);
            }
            self.now += grown;
            if let Some(max_age) = self.ages.after(self.now, round_end) {
                self.cache.evict(max_age);
                self.ages.bytes = self.now;
            }
        }
    }

    #[test]
    fn a_trim_inside_a_round_does_not_cost_the_next_practice_what_the_round_used_first() {
        // One practice's round: the print formats use print.typ, then the slides do not, and
        // memory grows by three steps inside the round and by one more at its end.
        let mut run = Run { ages: Ages::default(), cache: Cache(Vec::new()), now: 0 };
        run.document(&["common", "print"], STEP, false);
        run.document(&["common", "print"], STEP, false);
        run.document(&["common", "deck"], STEP, false); // trimmed inside the round
        assert_eq!(run.ages.inside, 1);
        run.document(&["common", "deck"], STEP, true); // trimmed at its end
        assert!(run.cache.has("print"), "the next practice's print formats find print.typ");
        assert_eq!(run.ages.inside, 0);
        // A trim inside the next round keeps what that round has used so far and drops what
        // only the round before used (the valve for rounds of very large documents).
        run.document(&["deck"], 3 * STEP, false);
        assert!(run.cache.has("deck") && !run.cache.has("print") && !run.cache.has("common"));
        run.document(&["deck"], STEP, true);
        assert!(run.cache.has("deck"));
    }

    #[test]
    fn without_the_counting_allocator_a_trim_comes_at_a_round_end_after_enough_documents() {
        let mut ages = Ages::default();
        for _ in 1..EVERY {
            assert_eq!(ages.after(0, true), None);
        }
        assert_eq!(ages.after(0, false), None, "never inside a round");
        assert_eq!(ages.after(0, true), Some(MAX_AGE));
        assert_eq!(ages.docs, 0);
    }
}
