//! The `leafpress` binary: all work happens in the library.

/// Counts memory in use, for the memory limit (see `leafpress::limits`).
#[global_allocator]
static ALLOCATOR: leafpress::limits::Counting = leafpress::limits::Counting;

fn main() {
    leafpress::limits::small_pages();
    std::process::exit(leafpress::run(std::env::args_os()));
}
