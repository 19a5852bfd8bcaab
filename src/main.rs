//! The `leafpress` binary: all work happens in the library.

fn main() {
    std::process::exit(leafpress::run(std::env::args_os()));
}
