//! Benchmark: the demo project (every format) built in one process, cold and then warm, then
//! each format alone.
//!
//! `cargo bench` prints the time of the first build (fonts, library, template evaluation,
//! layout, PDF export) and of later builds of the same project in the same process, which
//! reuse Typst's memoised work. Timings are printed, not asserted.

use std::time::{Duration, Instant};

use leafpress::build::{BuildConfig, run};

/// The binary's allocator, so that the benchmark measures what users run: mimalloc, and the
/// memo cache trimmed as counted memory grows (without it, `trim` falls back to a count of
/// documents).
#[global_allocator]
static ALLOCATOR: leafpress::limits::Counting = leafpress::limits::Counting;

fn main() {
    let out = tempfile::tempdir().expect("temp dir");
    let config = BuildConfig {
        root: env!("CARGO_MANIFEST_DIR").into(),
        out: Some(out.path().to_owned()),
        topics: vec![],
        langs: vec![],
        formats: vec![],
        brands: vec![],
        system_fonts: false,
        jobs: None,
        time_limit: leafpress::limits::DEFAULT_TIME_LIMIT_SECS,
        memory_limit: leafpress::limits::DEFAULT_MEMORY_LIMIT_MB,
        source_date_epoch: None,
        today: leafpress::build::config::today(None),
        bleed: None,
        crop_marks: false,
        strict: false,
        shard: (1, 1),
        emit_pdf: true,
        emit_typst: false,
        preview: None,
        timings: false,
    };
    let time = |label: &str| time_build(&config, label);
    let cold = time("first build (cold caches)");
    let runs = 10;
    let mut warm = Vec::new();
    for _ in 0..runs {
        warm.push(time("rebuild (warm caches)"));
    }
    warm.sort();
    println!("---");
    println!("cold {:.1} ms; warm median {:.1} ms over {runs} runs", ms(cold), ms(warm[runs / 2]));
    println!("--- each format alone, warm, one core (median of 5)");
    for format in leafpress::format::ALL {
        let single = BuildConfig { formats: vec![format], jobs: Some(1), ..config.clone() };
        let mut times: Vec<Duration> = (0..5).map(|_| time_build(&single, format.name())).collect();
        times.sort();
        println!("{:<28} {:>8.1} ms (median)", format.name(), ms(times[2]));
    }
}

/// Builds once and prints a line; returns the wall time.
fn time_build(config: &BuildConfig, label: &str) -> Duration {
    let start = Instant::now();
    let written = run(config).expect("demo project builds").written;
    let elapsed = start.elapsed();
    let bytes: usize = written.iter().map(|w| w.bytes).sum();
    let pages: usize = written.iter().map(|w| w.pages).sum();
    println!(
        "{label:<28} {:>8.1} ms  ({} documents, {pages} pages, {bytes} bytes)",
        ms(elapsed),
        written.len()
    );
    elapsed
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
