//! The embedded Typst compiler: one shared engine per run, a thin `World` per document.
//!
//! This is the only module that compiles with Typst (through `seeded`, Typst's compile loop
//! started from an earlier build's introspector).

pub mod fonts;
pub mod loader;
pub mod seeded;
pub mod templates;

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Label, Selector, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::utils::PicoStr;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::files::FileStore;
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Diagnostic, Diagnostics, Result};
use loader::{BUILTIN_DIR, ProjectLoader};

/// The virtual path of a document's data file.
static DATA_ID: LazyLock<FileId> = LazyLock::new(|| builtin_id("data.json"));

/// The virtual path of a bibliography served from memory.
static BIBLIOGRAPHY_ID: LazyLock<FileId> = LazyLock::new(|| builtin_id("references.yml"));

/// The `FileId` of a built-in file; a fixed set, so the global interner never fills up.
pub(crate) fn builtin_id(name: &str) -> FileId {
    let vpath = VirtualPath::new(format!("/{BUILTIN_DIR}/{name}")).expect("built-in paths are valid");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

/// What is shared by every document of a run: library, fonts and the file cache.
pub struct Engine {
    /// Canonical project root.
    root: PathBuf,
    /// Typst's standard library, built once.
    library: LazyHash<Library>,
    /// Fonts, loaded once.
    fonts: FontStore,
    /// Files in `fonts/` that were left out, and why.
    font_problems: Vec<Diagnostic>,
    /// Files read so far, shared by all documents (templates, images, bibliographies).
    files: FileStore<ProjectLoader>,
    /// The finished introspectors of documents built, which their next builds start from
    /// (in `watch`).
    seeds: seeded::Seeds,
    /// Whether documents are built again in this run (`watch`), so seeds are worth keeping.
    rebuilding: bool,
}

/// One document to compile.
#[derive(Debug, Clone)]
pub struct Job {
    /// The document's output key, for `--timings`.
    pub key: String,
    /// Built-in template (or project override) to use as the main file, e.g. `handout.typ`.
    pub template: &'static str,
    /// The document's data, served as `/_leafpress/data.json`.
    pub data: Vec<u8>,
    /// The document's other small files, served as `/_leafpress/<name>`: the practice's (see
    /// [`crate::document::PracticeData::files`]) and the running heads' `meta.json`. Apart
    /// from the data, and from each other, so that what a template reads of them keys only
    /// what it is used for.
    pub side_files: Vec<(&'static str, Vec<u8>)>,
    /// Stable identifier for the PDF's document id.
    pub ident: String,
    /// Creation time written to the PDF and returned by `datetime.today()`.
    pub timestamp: DateTime<Utc>,
    /// How laid-out pages become PDF pages.
    pub arrange: Arrange,
    /// Whether the document is written right to left (its booklet is bound on the right).
    pub rtl: bool,
    /// A bibliography served from memory at `/_leafpress/references.yml` (a deck's merged
    /// bibliography, see [`crate::deck::assemble::MERGED_BIBLIOGRAPHY`]).
    pub bibliography: Option<Vec<u8>>,
    /// Render the pages as PNG previews at this many pixels per point.
    pub preview: Option<f32>,
    /// Which document this is (practice, text, template, layout): the key under which a
    /// rebuild finds its last build's introspector to start from (`seeded`).
    pub seed: String,
}

/// How the pages Typst lays out (always in reading order) become the pages of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    /// One PDF page per laid-out page.
    AsLaidOut,
    /// Two-up on sheets in saddle-stitch order (the booklet's print file).
    SaddleStitch,
    /// Three pages, the third laid over the first (the trifold's back cover).
    Trifold,
}

/// A value a template reported with `metadata(..) <leafpress>`, and the page it is on.
#[derive(Debug, Clone)]
pub struct Marker {
    /// 1-based page number.
    pub page: usize,
    /// The value, as JSON.
    pub value: serde_json::Value,
}

/// A compiled document.
#[derive(Debug, Clone)]
pub struct Output {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Size of the first page in points (width, height).
    pub page_size: (f64, f64),
    /// Warnings from Typst.
    pub warnings: Vec<Diagnostic>,
    /// What the template reported about itself (fit, overflow, slide boundaries).
    pub markers: Vec<Marker>,
    /// PNG previews of the PDF's pages, if asked for.
    pub previews: Vec<Vec<u8>>,
}

impl Engine {
    /// From now on, starts each document's layout from its last build's (`seeded`), as
    /// `watch` does; only while the project overrides no template (checked again at each
    /// [`Engine::reset_files`]), since only the built-in templates' introspection is known to
    /// settle the same from any start (a project's own could hold a decision in place, as
    /// `recall` would).
    pub fn seed_rebuilds(&mut self) {
        self.rebuilding = true;
        self.refresh_seeds();
    }

    /// Keeps seeds if rebuilding with the built-in templates; forgets them otherwise.
    fn refresh_seeds(&mut self) {
        let on = self.rebuilding && !loader::has_overrides(&self.root);
        self.seeds.keep(if on { seeded::Seeds::WATCHED } else { 0 });
    }

    /// Sets up the engine for the project at `root` (canonical).
    pub fn new(root: &Path, system_fonts: bool) -> Self {
        let (fonts, font_problems) = fonts::load(root, system_fonts);
        Self {
            root: root.to_owned(),
            library: LazyHash::new(Library::builder().build()),
            fonts,
            font_problems,
            files: FileStore::new(ProjectLoader::new(root.to_owned())),
            seeds: seeded::Seeds::default(),
            rebuilding: false,
        }
    }

    /// Files in `fonts/` that were left out (outside the project, not a regular file, too
    /// large, no font in them): errors for the commands that use fonts.
    pub fn font_problems(&self) -> &[Diagnostic] {
        &self.font_problems
    }

    /// Marks every file read so far as possibly changed: the next compilation reads them
    /// again, keeping parsed templates to edit in place (for watch mode).
    pub fn reset_files(&mut self) {
        self.files.reset();
        self.refresh_seeds();
    }

    /// Whether a font family is available (case-insensitive).
    pub fn has_family(&self, family: &str) -> bool {
        self.fonts.book().contains_family(&family.to_lowercase())
    }

    /// Whether some font has a glyph for `c` (Typst falls back to any font that has it).
    pub fn covers(&self, c: char) -> bool {
        let book = self.fonts.book();
        (0..).map_while(|i| book.info(i)).any(|info| info.coverage.contains(c as u32))
    }

    /// The regular, bold, italic and bold italic faces of `family` that exist (no stand-ins
    /// from another weight or style), for embedding in the HTML edition.
    pub fn font_faces(&self, family: &str) -> Vec<crate::html::page::FontFace> {
        use typst::text::{FontStretch, FontStyle, FontVariant, FontWeight};
        let book = self.fonts.book();
        let mut faces = Vec::new();
        for (weight, italic) in [(400, false), (700, false), (400, true), (700, true)] {
            let style = if italic { FontStyle::Italic } else { FontStyle::Normal };
            let wanted = FontVariant::new(style, FontWeight::from_number(weight), FontStretch::NORMAL);
            let Some(index) = book.select(&family.to_lowercase(), wanted) else { continue };
            let exact = book
                .info(index)
                .is_some_and(|i| i.variant.style == style && i.variant.weight == wanted.weight);
            if let (true, Some(font)) = (exact, self.fonts.font(index)) {
                let family = font.info().family.clone();
                faces.push(crate::html::page::FontFace {
                    family,
                    weight,
                    italic,
                    data: font.data().to_vec(),
                });
            }
        }
        faces
    }

    /// The font families available, sorted case-insensitively (the font book keeps them so).
    pub fn families(&self) -> Vec<String> {
        self.fonts.book().families().map(|(name, _)| name.to_owned()).collect()
    }

    /// The file (as `build --timings` shows it) and line of one of Typst's spans, for its
    /// timing scopes; empty and 0 where a span has no place in a template.
    pub fn locate(&self, span: std::num::NonZeroU64) -> (String, u32) {
        let span = typst::syntax::Span::from_raw(span);
        let Some(id) = span.id() else { return (String::new(), 0) };
        let file = match (self.files.loader().disk_path(id), loader::builtin_name(id)) {
            (None, Some(name)) => format!("built-in {name}"),
            (Some(path), _) => crate::diag::display_path(path.strip_prefix(&self.root).unwrap_or(&path)),
            (None, None) => id.vpath().get_without_slash().to_owned(),
        };
        let line = self
            .files
            .source(id)
            .ok()
            .and_then(|s| s.find(span).and_then(|n| s.lines().byte_to_line(n.offset())))
            .map_or(0, |l| u32::try_from(l + 1).unwrap_or(u32::MAX));
        (file, line)
    }

    /// Compiles one document to PDF/UA-1.
    pub fn compile(&self, job: Job) -> Result<Output> {
        let _scope = crate::timings::scopes::document(&job.key);
        let seed = self.seeds.get(&job.seed);
        let world = DocWorld {
            engine: self,
            main: builtin_id(job.template),
            data: Bytes::new(job.data),
            side_files: job
                .side_files
                .into_iter()
                .map(|(name, bytes)| (builtin_id(name), Bytes::new(bytes)))
                .collect(),
            bibliography: job.bibliography.map(Bytes::new),
            today: to_datetime(job.timestamp, false),
        };
        use crate::timings::{Stage, time};
        let key = Some(job.key.as_str());
        let warned = time(Stage::Compile, key, || seeded::compile(&world, seed.as_deref()));
        let warnings = world.convert(&warned.warnings);
        let (document, iterations) = warned.output.map_err(|errors| Diagnostics(world.convert(&errors)))?;
        crate::timings::iterations(&job.key, iterations);
        self.seeds.put(&job.seed, &document);
        let markers = markers(&document);
        let document = if job.arrange == Arrange::SaddleStitch {
            time(Stage::Arrange, key, || crate::impose::two_up(&document, job.rtl))
        } else {
            document
        };
        let laid_out = document.pages().len();
        if job.arrange == Arrange::Trifold && laid_out != 3 {
            return Err(Diagnostic::error(format!(
                "the trifold template laid out {laid_out} pages instead of 3 (outside, inside, back cover)"
            ))
            .into());
        }
        let standards = PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| Diagnostic::error(format!("failed to select PDF standards ({})", e.message())))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident),
            creator: Smart::Custom(Some(format!("leafpress {}", env!("CARGO_PKG_VERSION")))),
            timestamp: to_datetime(job.timestamp, true).map(Timestamp::new_utc),
            standards,
            tagged: true,
            ..PdfOptions::default()
        };
        let mut pdf = time(Stage::Export, key, || typst_pdf::pdf(&document, &options))
            .map_err(|errors| Diagnostics(world.convert(&errors)))?;
        // Which laid-out pages each PDF page draws, on top of each other.
        let groups: Vec<Vec<usize>> = match job.arrange {
            Arrange::AsLaidOut => (1..=laid_out).map(|p| vec![p]).collect(),
            Arrange::SaddleStitch => crate::impose::sheet_groups(laid_out).map_err(arrange_error)?,
            Arrange::Trifold => vec![vec![1, 3], vec![2]],
        };
        if job.arrange != Arrange::AsLaidOut {
            pdf =
                time(Stage::Arrange, key, || crate::impose::overlay(&pdf, &groups)).map_err(arrange_error)?;
        }
        let pages = groups.len();
        // The frame is the trim; bleed and slug lie outside it.
        let page_size = document.pages().first().map_or((0.0, 0.0), |p| {
            let size = p.frame.size();
            (size.x.to_pt(), size.y.to_pt())
        });
        let previews = match job.preview {
            Some(scale) => time(Stage::Previews, key, || crate::preview::render(&document, &groups, scale)),
            None => Vec::new(),
        };
        Ok(Output { pdf, pages, page_size, warnings, markers, previews })
    }
}

/// An error from arranging pages for print (a bug, not bad input).
fn arrange_error(e: String) -> Diagnostics {
    Diagnostic::error(format!("failed to arrange the pages for print ({e})")).into()
}

/// The values templates reported with `metadata(..) <leafpress>`, in document order.
fn markers(document: &PagedDocument) -> Vec<Marker> {
    let Some(label) = Label::new(PicoStr::intern("leafpress")) else { return Vec::new() };
    let introspector = document.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|content| {
            let meta = content.to_packed::<MetadataElem>()?;
            let page = content.location().and_then(|loc| introspector.page(loc)).map_or(0, |p| p.get());
            Some(Marker { page, value: serde_json::to_value(&meta.value).ok()? })
        })
        .collect()
}

/// Converts a UTC time to Typst's datetime, with or without the time of day.
fn to_datetime(t: DateTime<Utc>, with_time: bool) -> Option<Datetime> {
    let (y, m, d) = (t.year(), u8::try_from(t.month()).ok()?, u8::try_from(t.day()).ok()?);
    if with_time {
        let (h, mi, s) =
            (u8::try_from(t.hour()).ok()?, u8::try_from(t.minute()).ok()?, u8::try_from(t.second()).ok()?);
        Datetime::from_ymd_hms(y, m, d, h, mi, s)
    } else {
        Datetime::from_ymd(y, m, d)
    }
}

/// The `World` of one document: the shared engine plus this document's data.
struct DocWorld<'a> {
    /// Shared library, fonts and files.
    engine: &'a Engine,
    /// The template to compile.
    main: FileId,
    /// This document's data.
    data: Bytes,
    /// The practice's files and `meta.json`.
    side_files: Vec<(FileId, Bytes)>,
    /// A bibliography served from memory, if the document has one.
    bibliography: Option<Bytes>,
    /// The fixed "today" of this document.
    today: Option<Datetime>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA_ID {
            return Ok(self.data.clone());
        }
        if let Some((_, bytes)) = self.side_files.iter().find(|(f, _)| *f == id) {
            return Ok(bytes.clone());
        }
        if id == *BIBLIOGRAPHY_ID
            && let Some(b) = &self.bibliography
        {
            return Ok(b.clone());
        }
        self.engine.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

impl DocWorld<'_> {
    /// Turns Typst's diagnostics into ours, located in the files the user can open.
    fn convert(&self, diagnostics: &[SourceDiagnostic]) -> Vec<Diagnostic> {
        diagnostics.iter().map(|d| self.convert_one(d)).collect()
    }

    fn convert_one(&self, d: &SourceDiagnostic) -> Diagnostic {
        let (message, extra) = self.reword(&d.message);
        let mut out = match d.severity {
            Severity::Error => Diagnostic::error(message),
            Severity::Warning => Diagnostic::warning(message),
        };
        if let Some(id) = d.span.id()
            && let Some(range) = self.range(d.span)
            && let Some(text) = self.text_of(id)
        {
            out = out.at(&self.display_path(id), &text, range);
        }
        let escapes = d.message.contains("would escape the project root");
        for hint in &d.hints {
            // Typst's sandbox hints speak of its CLI's `--root`; leafpress's `--root` is the
            // project folder, and templates can never read outside it.
            if escapes && (hint.v.contains("--root") || hint.v.contains("project sandbox")) {
                continue;
            }
            out = out.hint(self.without_root(&hint.v));
        }
        if escapes {
            out = out.hint("templates can only read files inside the project folder; a path that starts with / starts there");
        }
        out.hints.extend(extra);
        for point in &d.trace {
            if let Some(id) = point.span.id()
                && let Some(range) = self.range(point.span)
                && let Some(text) = self.text_of(id)
            {
                let line = text[..range.start.min(text.len())].matches('\n').count() + 1;
                let path = crate::diag::display_path(&self.display_path(id));
                out = out.hint(format!("{} at {path}:{line}", self.without_root(&point.v.to_string())));
            }
        }
        let in_builtin = d.span.id().is_some_and(|id| {
            self.engine.files.loader().disk_path(id).is_none()
                && id.vpath().get_without_slash().starts_with(BUILTIN_DIR)
        });
        if in_builtin && d.severity == Severity::Error {
            out = out.hint(
                "this failed inside leafpress's built-in template, not in your files: it is a leafpress bug; please report it with the content file",
            );
        }
        if d.message.contains("packages are not available offline") {
            out =
                out.hint("leafpress works offline: copy what you need into the project's templates/ folder");
        }
        out
    }

    /// Typst's message in leafpress's words, and hints to add: paths inside the project are
    /// shown relative to the project folder (never the absolute path of the user's files), and
    /// a relative path in a template override, which Typst resolves among the built-in
    /// templates, is named where the override would be.
    fn reword(&self, message: &str) -> (String, Vec<String>) {
        if let Some(searched) =
            message.strip_prefix("file not found (searched at ").and_then(|m| m.strip_suffix(')'))
        {
            let path = Path::new(searched);
            if let Ok(rel) = path.strip_prefix(&self.engine.root) {
                return (
                    format!("file not found (searched at {} in the project folder)", rel.display()),
                    vec![],
                );
            }
            if let Ok(name) = path.strip_prefix(BUILTIN_DIR) {
                return (
                    format!(
                        "file not found (searched at {}/{} and among the built-in templates)",
                        loader::OVERRIDE_DIR,
                        name.display()
                    ),
                    vec![
                        "a path in a template starts at the templates/ folder, and one that starts with / at the project folder (e.g. /images/photo.png)".to_owned(),
                    ],
                );
            }
        }
        let message = message.replace("would escape the project root", "would escape the project folder");
        (self.without_root(&message), vec![])
    }

    /// `text` with the project folder's absolute path left out of the paths in it.
    fn without_root(&self, text: &str) -> String {
        let root = self.engine.root.to_string_lossy();
        text.replace(&format!("{root}/"), "").replace(&*root, ".")
    }

    /// The text of a file, for quoting it in a diagnostic.
    fn text_of(&self, id: FileId) -> Option<Arc<str>> {
        if let Ok(source) = self.source(id) {
            return Some(source.text().into());
        }
        self.file(id).ok().map(|b| String::from_utf8_lossy(&b).into())
    }

    /// The path to show for a file: the real file, or where a built-in template comes from.
    fn display_path(&self, id: FileId) -> PathBuf {
        match self.engine.files.loader().disk_path(id) {
            Some(path) => path.canonicalize().unwrap_or(path),
            None => {
                let name = id.vpath().get_without_slash();
                match name.strip_prefix(BUILTIN_DIR) {
                    Some(rest) => PathBuf::from(format!("<built-in templates>{rest}")),
                    None => self.engine.root.join(name),
                }
            }
        }
    }
}
