//! `leafpress watch`, driven as a user would: the real binary on a copy of the demo, edits on
//! disk, JSON events read from its stdout, every wait bounded.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::{Pdf, Project};

/// A running `leafpress watch`, killed when dropped.
struct Watching {
    child: Child,
    events: Receiver<serde_json::Value>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    fn start(p: &Project, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leafpress"))
            .args(["--message-format", "json", "watch"])
            .args(args)
            .current_dir(&p.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start leafpress watch");
        let stdout = child.stdout.take().unwrap();
        let (tx, events) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let event = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if tx.send(event).is_err() {
                    break;
                }
            }
        });
        Self { child, events }
    }

    /// The next event of `kind`, collecting the events before it; panics after a minute.
    fn next(&self, kind: &str) -> (serde_json::Value, Vec<serde_json::Value>) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self
                .events
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{kind}` event within a minute; saw {before:?}"));
            if event["event"] == kind {
                return (event, before);
            }
            before.push(event);
        }
    }
}

const CONTENT: &str = "leaflets/hernia/nl.md";
const PDF: &str = "out/de-linde/hernia/nl/handout.pdf";

#[test]
fn watch_rebuilds_what_an_edit_affects_and_survives_a_broken_edit() {
    let p = Project::demo();
    let w =
        Watching::start(&p, &["--lang", "nl", "--lang", "en", "--brand", "de-linde", "--format", "handout"]);
    let (first, _) = w.next("rebuild");
    assert_eq!((first["ok"].as_bool(), first["documents"].as_u64()), (Some(true), Some(2)), "{first}");
    w.next("watching");
    let before = std::fs::read(p.path(PDF)).unwrap();

    // An editor's swap file and a one-word edit: only the Dutch handout is rebuilt.
    p.write("leaflets/hernia/.nl.md.swp", "swap");
    p.edit(CONTENT, "geen doodsvonnis", "geen doemvonnis");
    let (rebuild, seen) = w.next("rebuild");
    assert_eq!(rebuild["ok"], true, "{rebuild} after {seen:?}");
    assert_eq!(rebuild["changed"], serde_json::json!([CONTENT]), "{rebuild}");
    let keys: Vec<&str> =
        seen.iter().filter(|e| e["event"] == "document").map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["de-linde/hernia/nl/handout.pdf"]);
    assert_ne!(std::fs::read(p.path(PDF)).unwrap(), before);
    // The word is in the title: on the first page and in the running head of every other
    // (which reads the title when laid out, `live-meta`, and so is not kept from the last
    // build).
    let pdf = Pdf::open(&p.path(PDF));
    assert_eq!(pdf.inspect().pages_of("geen doemvonnis"), (0..pdf.pages()).collect::<Vec<_>>());

    // A broken edit: the error, located, and the last good PDF stays.
    let good = std::fs::read(p.path(PDF)).unwrap();
    p.edit(CONTENT, "title = ", "title = = ");
    let (rebuild, seen) = w.next("rebuild");
    assert_eq!(rebuild["ok"], false, "{rebuild}");
    let error = seen.iter().find(|e| e["event"] == "diagnostic").expect("the error is reported");
    assert!(error["file"].as_str().unwrap().ends_with(CONTENT), "{error}");
    assert_eq!(std::fs::read(p.path(PDF)).unwrap(), good);

    // Fixed, it rebuilds; rapid successive saves make one rebuild, from the last.
    p.edit(CONTENT, "title = = ", "title = ");
    p.edit(CONTENT, "doemvonnis", "doodvonnis");
    p.edit(CONTENT, "doodvonnis", "doodsvonnis");
    let (rebuild, _) = w.next("rebuild");
    assert_eq!((rebuild["ok"].as_bool(), rebuild["documents"].as_u64()), (Some(true), Some(1)), "{rebuild}");
    let text = Pdf::open(&p.path(PDF)).text();
    assert!(text.contains("doodsvonnis") && !text.contains("doemvonnis"));
    let manifest: serde_json::Value = serde_json::from_str(&p.read("out/manifest.json")).unwrap();
    assert_eq!(manifest["documents"].as_array().unwrap().len(), 2, "the manifest keeps both documents");

    // A brand edit rebuilds that brand's documents, in both languages.
    p.edit("leafpress.toml", "09 123 45 67", "09 123 45 68");
    let (rebuild, _) = w.next("rebuild");
    assert_eq!((rebuild["ok"].as_bool(), rebuild["documents"].as_u64()), (Some(true), Some(2)), "{rebuild}");

    // A template override in a new folder is picked up, even when the file comes well after
    // the folder (a slow editor, a loaded machine); deleting it brings the built-in back.
    std::fs::create_dir(p.path("templates")).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    p.write(
        "templates/handout.typ",
        "#import \"common.typ\": *\n#show: document-setup\nOverride #meta.title\n",
    );
    let (rebuild, _) = w.next("rebuild");
    assert_eq!(rebuild["documents"], 2, "{rebuild}");
    assert_eq!(Pdf::open(&p.path(PDF)).pages(), 1);
    std::fs::remove_file(p.path("templates/handout.typ")).unwrap();
    let (rebuild, _) = w.next("rebuild");
    assert_eq!(rebuild["documents"], 2, "{rebuild}");
    assert!(Pdf::open(&p.path(PDF)).pages() > 1);
}

#[test]
fn moving_an_input_folder_away_and_back_is_seen() {
    let p = Project::demo();
    let w = Watching::start(&p, &["--lang", "nl", "--brand", "de-linde", "--format", "handout"]);
    let (first, _) = w.next("rebuild");
    assert_eq!(first["ok"], true, "{first}");
    w.next("watching");
    let good = std::fs::read(p.path(PDF)).unwrap();

    // `mv images ../x`: the logos are gone, which is an error at leafpress.toml.
    let elsewhere = tempfile::tempdir().unwrap();
    let away = elsewhere.path().join("images");
    std::fs::rename(p.path("images"), &away).unwrap();
    let (rebuild, seen) = w.next("rebuild");
    assert_eq!(rebuild["ok"], false, "{rebuild}");
    let errors: Vec<&serde_json::Value> = seen.iter().filter(|e| e["event"] == "diagnostic").collect();
    assert!(errors.iter().any(|e| e["file"] == "leafpress.toml" && e["line"] == 18), "{errors:?}");
    assert_eq!(std::fs::read(p.path(PDF)).unwrap(), good, "the last good PDF stays");

    // Moved back, it builds again, and edits inside the folder are seen again.
    std::fs::rename(&away, p.path("images")).unwrap();
    let (rebuild, _) = w.next("rebuild");
    assert_eq!(rebuild["ok"], true, "{rebuild}");
    let logo = p.read("images/logo-de-linde.svg");
    p.write("images/logo-de-linde.svg", logo.replace("</svg>", "<!-- edited --></svg>"));
    let (rebuild, _) = w.next("rebuild");
    assert_eq!((rebuild["ok"].as_bool(), rebuild["documents"].as_u64()), (Some(true), Some(1)), "{rebuild}");
}

#[test]
fn a_rebuild_in_watch_is_the_document_built_from_nothing() {
    // A rebuild starts its layout from the last build's finished introspection (the engine's
    // `seeded`), less the decisions templates recalled there: a longer key message makes the
    // trifold's plan show one part fewer in full, so the plan recalled from the build before
    // the edit would be the wrong one. Byte for byte the documents a fresh build makes.
    let p = Project::demo();
    let filters = ["--lang", "nl", "--brand", "de-linde", "--format", "trifold", "--format", "handout"];
    let w = Watching::start(&p, &filters);
    let (first, _) = w.next("rebuild");
    assert_eq!(first["ok"], true, "{first}");
    w.next("watching");
    let trifold = "de-linde/hernia/nl/trifold.pdf";
    let before = std::fs::read(p.path(&format!("out/{trifold}"))).unwrap();
    p.edit(
        CONTENT,
        "Geduld en beweging helpen het meest.",
        "Geduld en beweging helpen het meest. Blijf wandelen, fietsen en je dagelijkse dingen doen, ook als het nog wat pijn doet, en bouw rustig op.",
    );
    let (rebuild, seen) = w.next("rebuild");
    assert_eq!(
        (rebuild["ok"].as_bool(), rebuild["documents"].as_u64()),
        (Some(true), Some(2)),
        "{rebuild} {seen:?}"
    );
    drop(w);
    let fresh = p.run(&[&["build", "--out", "fresh"][..], &filters].concat());
    assert_eq!(fresh.code, 0, "{}", fresh.stderr);
    assert!(
        fresh.stderr.contains("5 of 12 parts in full"),
        "the edit changes the trifold's plan: {}",
        fresh.stderr
    );
    for doc in [trifold, "de-linde/hernia/nl/handout.pdf"] {
        let rebuilt = std::fs::read(p.path(&format!("out/{doc}"))).unwrap();
        assert!(
            rebuilt == std::fs::read(p.path(&format!("fresh/{doc}"))).unwrap(),
            "{doc}: the rebuild differs"
        );
    }
    assert_ne!(std::fs::read(p.path(&format!("out/{trifold}"))).unwrap(), before);
}

#[test]
fn with_a_template_override_a_rebuild_starts_from_nothing() {
    // Only the built-in templates are known to settle the same from any start; a project's
    // own may hold a value in place through introspection, as this override does with the
    // title: from the last build's introspection it would print the old title again.
    let p = Project::demo();
    std::fs::create_dir(p.path("templates")).unwrap();
    p.write(
        "templates/handout.typ",
        "#import \"common.typ\": *\n#show: document-setup\n#context {\n  let held = query(<held>)\n  \
         let title = if held.len() > 0 { held.first().value } else { meta.title }\n  \
         [#metadata(title) <held>]\n  [Held: #title]\n}\n",
    );
    let w = Watching::start(&p, &["--lang", "nl", "--brand", "de-linde", "--format", "handout"]);
    let (first, _) = w.next("rebuild");
    assert_eq!(first["ok"], true, "{first}");
    w.next("watching");
    assert!(Pdf::open(&p.path(PDF)).text().contains("Held: Rughernia"));
    p.edit(CONTENT, "title = \"Rughernia:", "title = \"Lage rughernia:");
    let (rebuild, seen) = w.next("rebuild");
    assert_eq!(
        (rebuild["ok"].as_bool(), rebuild["documents"].as_u64()),
        (Some(true), Some(1)),
        "{rebuild} {seen:?}"
    );
    let text = Pdf::open(&p.path(PDF)).text();
    assert!(text.contains("Held: Lage rughernia"), "the old title was held: {text}");
}
