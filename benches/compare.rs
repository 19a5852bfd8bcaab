//! Benchmark against the Typst CLI, in one run on one machine: `cargo bench --bench compare`.
//!
//! (a) the whole demo matrix with leafpress, `--jobs 1` and the default (one job per core);
//! (b) the same documents ejected (`--emit typst`) and compiled one process per document by
//!     the Typst CLI (`typst` on PATH, or $TYPST), sequentially and two at a time;
//! (c) an incremental rebuild in `leafpress watch` after a one-word edit (handout, Dutch);
//! (d) scaled matrices with generated brands, for time and peak memory as documents grow.
//!
//! Wall times are medians of a few runs; peak memory is the largest resident set of the
//! process (of any one process for the CLI rows). Nothing is asserted; it prints a table.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LEAFPRESS: &str = env!("CARGO_BIN_EXE_leafpress");
const RUNS: usize = 3;

/// One row of the table.
struct Row {
    label: String,
    docs: usize,
    wall: Duration,
    peak_kb: u64,
    /// CPU time (user and system) of the run, of every process for the CLI rows.
    cpu: Duration,
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().unwrap();
    copy_demo(&root);
    let mut rows = Vec::new();

    // (a) leafpress, whole matrix.
    let docs = count_docs(&root);
    rows.push(median("leafpress build --jobs 1", docs, || run(&root, LEAFPRESS, &["build", "--jobs", "1"])));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let default = median(&format!("leafpress build (default: {cores} jobs)"), docs, || {
        run(&root, LEAFPRESS, &["build"])
    });
    let base = default.wall;
    rows.push(default);

    // (b) the Typst CLI, one process per document, from ejected folders.
    run(&root, LEAFPRESS, &["build", "--emit", "typst"]);
    let folders = ejected(&root.join("out"));
    let typst = std::env::var("TYPST").unwrap_or_else(|_| "typst".into());
    let cli = Command::new(&typst).arg("--version").output().ok().filter(|o| o.status.success());
    let mut cli_rows = Vec::new();
    match cli {
        Some(v) => {
            println!("Typst CLI: {}", String::from_utf8_lossy(&v.stdout).trim());
            for parallel in [1, 2] {
                let label = if parallel == 1 {
                    "typst compile, one process per document, sequential".to_owned()
                } else {
                    format!("typst compile, one process per document, {parallel} at a time")
                };
                cli_rows.push(median(&label, folders.len(), || typst_all(&root, &typst, &folders, parallel)));
            }
        }
        None => println!(
            "Typst CLI not found: rows (b) skipped (cargo install typst-cli --version 0.15.1 --locked)"
        ),
    }

    // (c) incremental rebuild after a one-word edit.
    let incremental = incremental(&root);

    // (d) scaled matrices, and what one practice costs beside another that prints the same
    // text (the generated practices differ from the demo's second in name, logo text and
    // number: see `generate_brands`).
    let mut scaled = Vec::new();
    let mut marginal = None;
    for brands in [10, 25, 50] {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().canonicalize().unwrap();
        copy_demo(&r);
        generate_brands(&r, brands);
        let docs = count_docs(&r);
        let (wall, peak_kb, cpu) = run(&r, LEAFPRESS, &["build"]);
        scaled.push(Row {
            label: format!("leafpress build, {} practices", brands + 2),
            docs,
            wall,
            peak_kb,
            cpu,
        });
        if brands == 50 {
            std::fs::remove_dir_all(r.join("out")).unwrap();
            let (first, peak_kb, cpu) = run(&r, LEAFPRESS, &["build", "--brand", "zuiderpark"]);
            scaled.push(Row {
                label: "leafpress build, one practice of them".into(),
                docs: docs / 52,
                wall: first,
                peak_kb,
                cpu,
            });
            marginal = Some(((wall.as_secs_f64() - first.as_secs_f64()) / 51.0, first.as_secs_f64()));
        }
    }

    println!();
    println!(
        "{:<58} {:>6} {:>9} {:>9} {:>9} {:>11} {:>12}",
        "", "docs", "wall s", "ms/doc", "peak MB", "CPU ms/doc", "× leafpress"
    );
    for row in rows.iter().chain(&cli_rows).chain(&scaled) {
        println!(
            "{:<58} {:>6} {:>9.2} {:>9.1} {:>9.0} {:>11.1} {:>12.2}",
            row.label,
            row.docs,
            row.wall.as_secs_f64(),
            row.wall.as_secs_f64() * 1000.0 / row.docs as f64,
            row.peak_kb as f64 / 1024.0,
            row.cpu.as_secs_f64() * 1000.0 / row.docs as f64,
            row.wall.as_secs_f64() / base.as_secs_f64() * (docs as f64 / row.docs as f64),
        );
    }
    match incremental {
        Some(times) => println!(
            "incremental handout rebuild after a one-word edit (watch): median {:.0} ms, min {:.0} ms, max {:.0} ms over {} edits",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            times.len()
        ),
        None => println!("incremental rebuild: no measurement (watch did not report)"),
    }
    if let Some((each, first)) = marginal {
        println!(
            "each practice beyond the first (52 practices): {:.0} ms, {:.0} % of the first one's {:.2} s",
            each * 1000.0,
            each / first * 100.0,
            first
        );
    }
    println!(
        "(× leafpress: time per document relative to the default leafpress build; the CLI rows show how much slower the Typst CLI is)"
    );
}

/// The demo project's files, copied to `to`.
fn copy_demo(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in ["leafpress.toml", "brands", "leaflets", "decks", "images", "fonts", "labels", "templates"] {
        copy_tree(&repo.join(entry), &to.join(entry));
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else if from.is_file() {
        std::fs::copy(from, to).unwrap();
    }
}

/// Adds `n` brands, copies of the demo's second practice under other names and numbers (a
/// network of practices that share a house style).
fn generate_brands(root: &Path, n: usize) {
    let template = std::fs::read_to_string(root.join("brands/zuiderpark.toml")).unwrap();
    assert!(template.contains("030 123 45 67"), "the second practice's phone number");
    for i in 1..=n {
        let text = template
            .replace("Zuiderpark", &format!("Zuiderpark {i}"))
            .replace("030 123 45 67", &format!("030 123 {:02} {:02}", i / 100, i % 100));
        std::fs::write(root.join(format!("brands/practice-{i:02}.toml")), text).unwrap();
    }
}

/// The number of documents a full build of `root` writes (from `check`'s summary).
fn count_docs(root: &Path) -> usize {
    let out = Command::new(LEAFPRESS)
        .args(["--message-format", "json", "check"])
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["event"] == "summary")
        .and_then(|v| v["documents"].as_u64())
        .expect("check reports the number of documents") as usize
}

/// Runs `f` RUNS times; the median run's wall and CPU time, and the largest peak.
fn median(label: &str, docs: usize, mut f: impl FnMut() -> (Duration, u64, Duration)) -> Row {
    let mut runs = Vec::new();
    let mut peak_kb = 0;
    for _ in 0..RUNS {
        let (wall, peak, cpu) = f();
        runs.push((wall, cpu));
        peak_kb = peak_kb.max(peak);
    }
    runs.sort();
    eprintln!("{label}: {:?}", runs);
    let (wall, cpu) = runs[RUNS / 2];
    Row { label: label.to_owned(), docs, wall, peak_kb, cpu }
}

/// Runs a program in `dir` to completion: wall time, peak resident set (KB) and CPU time.
// wait4 reaps the child: std's wait would not report its peak memory.
#[allow(clippy::zombie_processes)]
fn run(dir: &Path, program: &str, args: &[&str]) -> (Duration, u64, Duration) {
    let start = Instant::now();
    let child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let (status, peak, cpu) = wait_with_peak(child.id());
    let wall = start.elapsed();
    assert!(status == 0, "{program} {args:?} failed in {}", dir.display());
    (wall, peak, cpu)
}

/// Waits for a child process; its exit status, peak resident set in KB (Linux) and CPU time.
fn wait_with_peak(pid: u32) -> (i32, u64, Duration) {
    let mut status = 0;
    // SAFETY: wait4 writes into the two locals it is given, for a child of this process.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(r > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    let time =
        |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    (code, usage.ru_maxrss as u64, time(usage.ru_utime) + time(usage.ru_stime))
}

/// Every ejected folder under `out`.
fn ejected(out: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![out.to_owned()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.join("main.typ").is_file() {
                found.push(p);
            } else if p.is_dir() {
                stack.push(p);
            }
        }
    }
    found.sort();
    found
}

/// Compiles every folder with the Typst CLI, `parallel` processes at a time.
fn typst_all(root: &Path, typst: &str, folders: &[PathBuf], parallel: usize) -> (Duration, u64, Duration) {
    let queue = Mutex::new(folders.iter().collect::<VecDeque<_>>());
    let peak = Mutex::new(0u64);
    let cpu = Mutex::new(Duration::ZERO);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..parallel {
            s.spawn(|| {
                loop {
                    let Some(folder) = queue.lock().unwrap().pop_front() else { break };
                    let rel = folder.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                    let main = format!("{rel}/main.typ");
                    let args = [
                        "compile",
                        "--root",
                        &rel,
                        "--font-path",
                        "fonts",
                        "--ignore-system-fonts",
                        "--pdf-standard",
                        "ua-1",
                        &main,
                    ];
                    let (_, kb, time) = run(root, typst, &args);
                    let mut p = peak.lock().unwrap();
                    *p = (*p).max(kb);
                    *cpu.lock().unwrap() += time;
                }
            });
        }
    });
    (start.elapsed(), peak.into_inner().unwrap(), cpu.into_inner().unwrap())
}

/// Rebuild times (ms, sorted) of a watched handout after one-word edits.
fn incremental(root: &Path) -> Option<Vec<f64>> {
    let mut child = Command::new(LEAFPRESS)
        .args([
            "--message-format",
            "json",
            "watch",
            "--format",
            "handout",
            "--lang",
            "nl",
            "--brand",
            "de-linde",
        ])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut lines = BufReader::new(child.stdout.take()?).lines().map_while(Result::ok);
    let mut wait_for = |kind: &str| -> Option<serde_json::Value> {
        lines
            .by_ref()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
            .find(|v| v["event"] == kind)
    };
    wait_for("watching")?;
    let content = root.join("leaflets/hernia/nl.md");
    let original = std::fs::read_to_string(&content).ok()?;
    let mut times = Vec::new();
    for i in 0..7 {
        // Let the watcher settle, then change one word.
        std::thread::sleep(Duration::from_millis(300));
        // A word not used before, so no rebuild can reuse a whole earlier result.
        let word = ["doemvonnis", "eindvonnis", "vonnis", "oordeel", "strafvonnis", "einde", "doodvonnis"][i];
        std::fs::write(&content, original.replacen("doodsvonnis", word, 1)).ok()?;
        let event = wait_for("rebuild")?;
        times.push(event["ms"].as_f64()?);
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    Some(times)
}
