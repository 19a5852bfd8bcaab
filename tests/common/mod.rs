//! Helpers for driving the real `leafpress` binary on fixture projects in temporary folders.

#![allow(dead_code)]

mod inspect;

// Not every test file inspects PDFs.
#[allow(unused_imports)]
pub use inspect::{Found, Inspection, TOLERANCE, TableInfo, TextRun};

use std::path::{Path, PathBuf};
use std::process::Command;

/// Millimetres to points.
pub fn mm(x: f64) -> f64 {
    x / 25.4 * 72.0
}

/// The demo project, built once per test binary (every brand, language and format), for the
/// tests that only read what it wrote.
pub fn built_demo() -> &'static Project {
    static DEMO: std::sync::OnceLock<Project> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let p = Project::demo();
        let run = p.run(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        p
    })
}

/// The repository root (the demo project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A project copied into a temporary folder, so a test can change it freely.
pub struct Project {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    /// The project root (canonical).
    pub root: PathBuf,
}

/// What a run of the binary did.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard error without `check`'s readability warnings (each a block ending in a blank
    /// line), and how many there were: for tests of other warnings on content whose long
    /// sentences are not theirs to judge (tests/readability.rs tests those).
    #[allow(dead_code)]
    pub fn stderr_without_readability(&self) -> (String, usize) {
        let mut out = String::new();
        let mut removed = 0;
        for block in self.stderr.split_inclusive("\n\n") {
            if block.starts_with("warning: sentence of ") || block.starts_with("warning: readability of ") {
                removed += 1;
            } else {
                out.push_str(block);
            }
        }
        (out, removed)
    }
}

impl Project {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        Self::copy_of(&repo().join("tests/fixtures").join(name), &[""])
    }

    /// A copy of the demo project at the repository root (content, decks, brands, fonts, images).
    pub fn demo() -> Self {
        Self::copy_of(&repo(), &["leafpress.toml", "brands", "leaflets", "decks", "images", "fonts"])
    }

    /// An empty folder.
    #[allow(dead_code)]
    pub fn empty() -> Self {
        Self::copy_of(Path::new("/nonexistent"), &[])
    }

    fn copy_of(from: &Path, entries: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        for entry in entries {
            copy_tree(&from.join(entry), &root.join(entry));
        }
        Self { _dir: dir, root }
    }

    /// A path inside the project.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file inside the project, whole: through a hidden temporary file and a rename,
    /// as most editors save, so `leafpress watch` never sees it half written however loaded
    /// the machine is.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        let dir = path.parent().unwrap();
        std::fs::create_dir_all(dir).unwrap();
        let tmp = dir.join(format!(".{}.saving", path.file_name().unwrap().to_string_lossy()));
        std::fs::write(&tmp, contents).unwrap();
        std::fs::rename(tmp, path).unwrap();
    }

    /// Reads a text file inside the project.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Replaces `from` with `to` in a file, which must contain it.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Runs `leafpress ARGS` in the project folder, with no colour and no SOURCE_DATE_EPOCH.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// Like `run`, with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_leafpress"));
        cmd.args(args).current_dir(&self.root).env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run leafpress");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The documents of the manifest in `dir` (relative to the project), in matrix order.
    pub fn manifest(&self, dir: &str) -> Vec<serde_json::Value> {
        let m: serde_json::Value = serde_json::from_str(&self.read(&format!("{dir}/manifest.json"))).unwrap();
        m["documents"].as_array().unwrap().clone()
    }

    /// Runs `args` and checks that it fails with exactly `expected` on stderr, exit code 1,
    /// and that no PDF was written.
    #[track_caller]
    pub fn fails(&self, args: &[&str], expected: &str) {
        let run = self.run(args);
        assert_eq!(run.stderr, expected, "\n--- actual stderr ---\n{}", run.stderr);
        assert_eq!(run.code, 1);
        assert!(self.pdfs().is_empty(), "a PDF was written: {:?}", self.pdfs());
    }

    /// Runs `args`, one document of which fails to compile: checks that stderr is `expected`
    /// followed by the line naming the failed document and the summary, exit code 1, and
    /// that no PDF was written.
    #[track_caller]
    pub fn fails_to_compile(&self, args: &[&str], expected: &str) {
        let run = self.run(args);
        let Some(rest) = run.stderr.strip_prefix(expected) else {
            // Shows the whole difference.
            assert_eq!(run.stderr, expected, "\n--- actual stderr ---\n{}", run.stderr);
            return;
        };
        let lines: Vec<&str> = rest.lines().collect();
        assert_eq!(lines.len(), 2, "{rest}");
        assert!(
            lines[0].starts_with("failed out/")
                && lines[0].ends_with("(the previous file, if any, is unchanged)"),
            "{rest}"
        );
        assert!(lines[1].starts_with("built 0 documents, 1 failed ("), "{rest}");
        assert_eq!(run.code, 1);
        assert!(self.pdfs().is_empty(), "a PDF was written: {:?}", self.pdfs());
    }

    /// Every PDF under `out/`.
    pub fn pdfs(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        collect(&self.path("out"), &mut found);
        found.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
        found
    }
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() { collect(&p, found) } else { found.push(p) }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let name = e.file_name();
            if name == "out" || name == "target" || name == ".git" {
                continue;
            }
            copy_tree(&e.path(), &to.join(name));
        }
    } else {
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    }
}

/// A PDF opened for inspection.
pub struct Pdf {
    doc: lopdf::Document,
    /// The same document with every form XObject a page draws turned into a page of its own
    /// (for text extraction, which does not enter XObjects): imposed and overlaid pages.
    layers: lopdf::Document,
}

impl Pdf {
    /// Opens the PDF at `path`.
    pub fn open(path: &Path) -> Self {
        let doc = lopdf::Document::load(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
        let layers = explode_layers(&doc);
        Self { doc, layers }
    }

    /// The alternative texts of the PDF's structure elements.
    pub fn alt_texts(&self) -> Vec<String> {
        self.doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter_map(|d| d.get(b"Alt").ok()?.as_str().ok().map(decode_pdf_string))
            .collect()
    }

    /// Number of pages.
    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// MediaBox width and height of every page, in points.
    pub fn page_sizes(&self) -> Vec<(f64, f64)> {
        self.doc
            .get_pages()
            .values()
            .map(|&id| {
                let page = self.doc.get_dictionary(id).unwrap();
                let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
                let n: Vec<f64> = mb
                    .iter()
                    .map(|o| o.as_float().map(f64::from).unwrap_or_else(|_| o.as_i64().unwrap() as f64))
                    .collect();
                (n[2] - n[0], n[3] - n[1])
            })
            .collect()
    }

    /// A page box (`MediaBox`, `TrimBox`, …) of page `index` (0-based) as (x0, y0, x1, y1).
    pub fn page_box(&self, index: usize, key: &[u8]) -> Option<[f64; 4]> {
        let id = *self.doc.get_pages().values().nth(index)?;
        let page = self.doc.get_dictionary(id).ok()?;
        let b = page.get(key).ok()?.as_array().ok()?;
        let n: Vec<f64> = b
            .iter()
            .map(|o| o.as_float().map(f64::from).unwrap_or_else(|_| o.as_i64().unwrap() as f64))
            .collect();
        Some([n[0], n[1], n[2], n[3]])
    }

    /// The underlying document.
    pub fn doc(&self) -> &lopdf::Document {
        &self.doc
    }

    /// The text of every page, in order (of every layer of a page drawn from XObjects).
    pub fn text(&self) -> String {
        let pages: Vec<u32> = self.layers.get_pages().keys().copied().collect();
        self.layers.extract_text(&pages).unwrap()
    }

    /// The text of page `index` (0-based).
    pub fn page_text(&self, index: usize) -> String {
        let pages: Vec<u32> = self.layers.get_pages().keys().copied().collect();
        self.layers.extract_text(&[pages[index]]).unwrap()
    }

    /// A value from the document catalog, e.g. `Lang`.
    pub fn catalog_string(&self, key: &[u8]) -> Option<String> {
        let catalog = self.doc.catalog().ok()?;
        let value = catalog.get(key).ok()?;
        let bytes = value.as_str().ok()?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Whether the catalog marks the document as tagged.
    pub fn is_tagged(&self) -> bool {
        let Ok(catalog) = self.doc.catalog() else { return false };
        let marked = catalog
            .get(b"MarkInfo")
            .ok()
            .and_then(|m| match m {
                lopdf::Object::Reference(id) => self.doc.get_dictionary(*id).ok(),
                lopdf::Object::Dictionary(d) => Some(d),
                _ => None,
            })
            .and_then(|d| d.get(b"Marked").ok())
            .and_then(|m| m.as_bool().ok());
        marked == Some(true) && catalog.get(b"StructTreeRoot").is_ok()
    }
}

/// Text with all whitespace, hyphens and soft hyphens removed, for comparing running text
/// regardless of line breaks and hyphenation.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}' && *c != '‐').collect()
}

/// Removes parenthesised groups that contain a four-digit year: in-text citations, whose
/// rendering (order, "et al.", corrected years) is the bibliography's business.
pub fn strip_citations(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else { break };
        let group = &rest[open..open + close + 1];
        let digits = group.chars().filter(char::is_ascii_digit).count();
        out.push_str(&rest[..open]);
        if digits < 4 || group[1..].contains('(') {
            out.push_str(group);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// A copy of `doc` in which each sheet side leafpress assembled (the imposed booklet, the
/// trifold) is replaced by one page per page drawn on it, in drawing order. An assembled side's
/// content is its pages' content one after the other, each in a top-level `q … Q`, with the
/// resources of its second page named `P1…`.
fn explode_layers(doc: &lopdf::Document) -> lopdf::Document {
    use lopdf::content::Content;
    use lopdf::{Dictionary, Object, Stream};
    let mut out = doc.clone();
    let root = out.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    let mut kids = Vec::new();
    for &id in doc.get_pages().values() {
        let page = doc.get_dictionary(id).unwrap();
        let resources = page.get(b"Resources").ok().and_then(|r| r.as_dict().ok());
        let assembled = resources.is_some_and(|r| {
            r.iter().any(|(_, c)| c.as_dict().is_ok_and(|c| c.iter().any(|(n, _)| n.starts_with(b"P1"))))
        });
        if !assembled {
            kids.push(Object::Reference(id));
            continue;
        }
        let ops = Content::decode(&doc.get_page_content(id)).unwrap().operations;
        let mut layers: Vec<Vec<lopdf::content::Operation>> = Vec::new();
        let mut depth = 0usize;
        for op in ops {
            match op.operator.as_str() {
                "q" if depth == 0 => {
                    layers.push(Vec::new());
                    depth += 1;
                }
                "q" => depth += 1,
                "Q" => depth -= 1,
                _ => {}
            }
            if let Some(layer) = layers.last_mut() {
                layer.push(op);
            }
        }
        for operations in layers {
            let content =
                out.add_object(Stream::new(Dictionary::new(), Content { operations }.encode().unwrap()));
            let mut layer = Dictionary::new();
            layer.set("Type", Object::Name(b"Page".to_vec()));
            layer.set("Parent", Object::Reference(root));
            layer.set("MediaBox", page.get(b"MediaBox").unwrap().clone());
            layer.set("Resources", page.get(b"Resources").unwrap().clone());
            layer.set("Contents", Object::Reference(content));
            kids.push(Object::Reference(out.add_object(layer)));
        }
    }
    let pages = out.get_object_mut(root).unwrap().as_dict_mut().unwrap();
    pages.set("Count", Object::Integer(kids.len() as i64));
    pages.set("Kids", Object::Array(kids));
    out
}

/// The demo's red-flag heading, the Belgian emergency numbers and their captions, as every
/// format must show them.
pub const DEMO_RED_FLAG_CARD: [&str; 5] = [
    "Wanneer is een hernia wél een noodgeval? Cauda equina syndroom",
    "Bel meteen",
    "112",
    "Huisarts van wacht",
    "1733",
];

/// A PDF text string: UTF-16 with a byte-order mark, or PDFDocEncoding (Latin-1 here).
pub fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> =
            rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}
