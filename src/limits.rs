//! Limits on the work one document may cause: time and memory.
//!
//! Typst cannot be interrupted, and a project's own template may loop for ever or ask for an
//! array of a trillion values. So that such a document is a clear error instead of a hang or
//! an abort by the operating system:
//! - a watchdog thread stops the run when a document has compiled for longer than the time
//!   limit (`--time-limit`, default [`DEFAULT_TIME_LIMIT_SECS`]), naming it and its template;
//! - the allocator counts the bytes in use and stops the run when they pass the memory limit
//!   (`--memory-limit`, default [`DEFAULT_MEMORY_LIMIT_MB`]), naming the document that asked.
//!
//! Both end the process with exit code 1 and write nothing more: documents already written
//! in this run stay, each whole (writes are atomic), and the manifest is not updated.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use mimalloc::MiMalloc;

/// The default time one document may take to compile: the slowest real document takes
/// under a second on one core.
pub const DEFAULT_TIME_LIMIT_SECS: u64 = 120;

/// The default memory the whole run may use: the demo's 60 documents peak at about 400 MB.
pub const DEFAULT_MEMORY_LIMIT_MB: usize = 4 * 1024;

/// Turns transparent huge pages off for this process (Linux; elsewhere nothing). mimalloc
/// asks for them, and a 2 MB page is committed, and zeroed, whole where a build touches a
/// few kilobytes of it. Measured (2 cores, 3 runs each, alternating): the 52-practice network
/// build (1,456 documents) peaked at 489–502 MB with them and at 419–436 MB without, in the
/// same wall time (19.5–20.7 against 19.4–20.0 s; kernel CPU 2.1–2.3 against 1.3–1.4 s); the
/// demo at 370–388 against 327–343 MB, 3.6–3.8 against 3.4–3.6 s (a little more user CPU,
/// 6.1–6.2 against 5.9–6.0 s, less kernel CPU, 0.3–0.4 against 0.8–0.9 s). Called first
/// thing in `main`, so that nearly every page the run touches is a small one;
/// `MIMALLOC_ALLOW_THP=0` does the same from the environment.
pub fn small_pages() {
    // SAFETY: `PR_SET_THP_DISABLE` takes integers only and changes how the kernel backs this
    // process's memory from now on, not its contents.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The allocator: mimalloc, counting the bytes in use. mimalloc rather than the C library's:
/// Typst allocates and frees many small objects on two threads, and glibc's malloc took
/// 14 % more CPU for the same build (the demo plus 10 practices: 18 s of CPU against 22 s,
/// 10.3 s wall against 12.6 s, with a lower peak once the cache is trimmed in 32 MB steps,
/// see `trim`).
pub struct Counting;

/// Bytes in use, as the threads have settled them (signed: one thread may settle what it
/// freed before another settles what it allocated).
static IN_USE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static LIMIT: AtomicIsize = AtomicIsize::new(isize::MAX);

/// How many bytes a thread allocates (or frees) before it settles them with the shared
/// count: one atomic operation per this many bytes instead of one per allocation, since two
/// cores contending for one counter cost 4–5 % of an 11-practice build (12.7 against 12.2 s
/// with no counting at all). The count is off by less than this per thread; an allocation
/// this large or larger is settled, and checked against the limit, at once; the build's
/// worker threads settle their balance as they end ([`settle`]).
const BATCH: isize = 256 * 1024;

thread_local! {
    /// This thread's bytes not yet settled.
    static PENDING: Cell<isize> = const { Cell::new(0) };

    /// The document this thread compiles, for the memory-limit message (a pointer and length
    /// into a string that outlives the compilation; read without allocating).
    static CURRENT: Cell<(*const u8, usize)> = const { Cell::new((std::ptr::null(), 0)) };
}

// SAFETY: every method forwards to `MiMalloc` with the same arguments; the counting around it
// touches only atomics, and the limit path writes to stderr with `write(2)` and ends the
// process without allocating.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded as is.
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: forwarded as is.
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: forwarded as is.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grow(new_size - layout.size());
        } else {
            shrink(layout.size() - new_size);
        }
        // SAFETY: forwarded as is.
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// Counts `n` more bytes in use; past the limit, stops the process.
fn grow(n: usize) {
    count(isize::try_from(n).unwrap_or(isize::MAX));
}

/// Counts `n` fewer bytes in use.
fn shrink(n: usize) {
    count(isize::try_from(n).map_or(isize::MIN, |n| -n));
}

/// Adds `delta` to this thread's pending bytes and settles them with the shared count once
/// they reach [`BATCH`] either way; a settled growth is checked against the peak and limit.
fn count(delta: isize) {
    let due = PENDING.with(|p| {
        let pending = p.get().saturating_add(delta);
        p.set(if pending.unsigned_abs() < BATCH.unsigned_abs() { pending } else { 0 });
        pending
    });
    if due.unsigned_abs() < BATCH.unsigned_abs() {
        return;
    }
    let now = IN_USE.fetch_add(due, Ordering::Relaxed).saturating_add(due);
    if due > 0 {
        if now > PEAK.load(Ordering::Relaxed) {
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        if now > LIMIT.load(Ordering::Relaxed) {
            over_memory_limit(delta.unsigned_abs());
        }
    }
}

/// Settles this thread's bytes with the shared count; for a thread about to end.
pub fn settle() {
    let due = PENDING.with(|p| p.replace(0));
    IN_USE.fetch_add(due, Ordering::Relaxed);
}

/// The most bytes in use at once so far (as settled: within [`BATCH`] a thread).
pub fn peak_bytes() -> usize {
    PEAK.load(Ordering::Relaxed).max(0).unsigned_abs()
}

/// The bytes in use now (as settled: within [`BATCH`] a thread).
pub fn in_use_bytes() -> usize {
    IN_USE.load(Ordering::Relaxed).max(0).unsigned_abs()
}

/// Writes `bytes` to stderr without allocating.
fn write_stderr(bytes: &[u8]) {
    // SAFETY: `bytes` is a valid buffer of its length; a short or failed write loses only
    // part of the message.
    unsafe {
        libc::write(2, bytes.as_ptr().cast(), bytes.len());
    }
}

/// Reports the memory limit, naming the document, and ends the process (no allocation).
#[cold]
fn over_memory_limit(asked: usize) -> ! {
    let (ptr, len) = CURRENT.with(Cell::get);
    write_stderr(b"error: the build stopped at the memory limit of ");
    let mut digits = [0u8; 20];
    write_stderr(format_number(LIMIT.load(Ordering::Relaxed).unsigned_abs() / (1024 * 1024), &mut digits));
    write_stderr(b" MB");
    if !ptr.is_null() {
        write_stderr(b" while compiling ");
        // SAFETY: set by `Compiling::start` from a `&str` that outlives the compilation.
        write_stderr(unsafe { std::slice::from_raw_parts(ptr, len) });
    }
    write_stderr(b" (it asked for ");
    write_stderr(format_number(asked / (1024 * 1024), &mut digits));
    write_stderr(b" MB more)\n = hint: a project's own template in templates/ that builds huge values (e.g. `range(1000000000)`) is the usual cause; raise the limit with --memory-limit MB if the documents are really that large\n");
    // SAFETY: ends the process at once, without running destructors or allocating.
    unsafe { libc::_exit(1) }
}

/// `n` in decimal, written into `buf` without allocating.
fn format_number(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// Sets the memory limit for the rest of the run.
pub fn set_memory_limit(megabytes: usize) {
    let bytes = isize::try_from(megabytes.saturating_mul(1024 * 1024)).unwrap_or(isize::MAX);
    LIMIT.store(bytes, Ordering::Relaxed);
}

/// A document being compiled: known to the watchdog and named in the memory-limit message
/// while it lives.
pub struct Compiling {
    id: usize,
}

/// The documents being compiled: id, name, template, start.
struct Running {
    next: usize,
    docs: Vec<(usize, String, String, Instant)>,
}

static RUNNING: Mutex<Running> = Mutex::new(Running { next: 0, docs: Vec::new() });
static WATCHDOG: OnceLock<()> = OnceLock::new();
static TIME_LIMIT_SECS: AtomicUsize = AtomicUsize::new(DEFAULT_TIME_LIMIT_SECS as usize);

impl Compiling {
    /// Marks `name` (kept alive by the caller until this is dropped) as compiling with
    /// `template` on this thread.
    pub fn start(name: &str, template: &str) -> Self {
        CURRENT.with(|c| c.set((name.as_ptr(), name.len())));
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.next += 1;
        let id = running.next;
        running.docs.push((id, name.to_owned(), template.to_owned(), Instant::now()));
        Self { id }
    }
}

impl Drop for Compiling {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set((std::ptr::null(), 0)));
        let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
        running.docs.retain(|d| d.0 != self.id);
    }
}

/// Sets the time limit per document and starts the watchdog (once per process).
pub fn watch_time(seconds: u64) {
    TIME_LIMIT_SECS.store(seconds as usize, Ordering::Relaxed);
    WATCHDOG.get_or_init(|| {
        let spawned = std::thread::Builder::new().name("leafpress-watchdog".into()).spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let limit = Duration::from_secs(TIME_LIMIT_SECS.load(Ordering::Relaxed) as u64);
                let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((_, name, template, _)) = running.docs.iter().find(|d| d.3.elapsed() > limit) {
                    crate::diag::emit(&[crate::diag::Diagnostic::error(format!(
                        "{name} did not finish compiling within the time limit of {} s (template {template}); the build stopped",
                        limit.as_secs(),
                    ))
                    .hint("a project's own template in templates/ that loops for ever is the usual cause; raise the limit with --time-limit SECONDS if the document is really that slow")]);
                    std::process::exit(1);
                }
            }
        });
        // Without a watchdog the build still runs, only without the time limit.
        drop(spawned);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_allocations_are_settled_in_batches_and_large_ones_at_once() {
        // Only this test calls the counting functions (tests use the system allocator).
        let count = || IN_USE.load(Ordering::Relaxed);
        let start = count();
        grow(100);
        shrink(40);
        assert_eq!(count(), start, "small amounts wait on the thread");
        settle();
        assert_eq!(count(), start + 60);
        grow(BATCH as usize);
        assert_eq!(count(), start + 60 + BATCH, "a batch's worth is settled at once");
        assert!(peak_bytes() >= (start + 60 + BATCH).unsigned_abs());
        shrink(BATCH as usize + 60);
        assert_eq!(count(), start);
        assert_eq!(PENDING.with(Cell::get), 0);
    }
}
