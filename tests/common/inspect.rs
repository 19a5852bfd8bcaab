//! Layout and structure inspection of a built PDF, for invariants checked on every document:
//! where each run of text sits on a page and whether runs collide or leave the page (text
//! positions come from interpreting the page with hayro, so pages that draw other pages as
//! form XObjects, the imposed booklet and the trifold, come out in sheet coordinates), and
//! what the structure tree tags (figures with their alt text, tables with their header cells).

use std::collections::HashMap;

use hayro::hayro_interpret::font::Glyph;
use hayro::hayro_interpret::hayro_cmap::BfString;
use hayro::hayro_interpret::hayro_syntax;
use hayro::hayro_interpret::{
    BlendMode, CacheKey, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, RectExt, SoftMask, interpret_page,
};
use hayro::vello_cpu::kurbo::{Affine, BezPath, Point, Rect, Shape, Vec2};

use super::{Pdf, squash};

/// How far, in points each way, two runs may overlap or a run may stick out of the page before
/// it counts: rounding in the PDF and side bearings are not collisions.
pub const TOLERANCE: f64 = 0.5;

/// Bottom and top of the ink (in em, from the baseline) assumed for a Type 3 glyph, whose
/// drawing hayro does not hand to the device as an outline.
const TYPE3_INK: (f64, f64) = (-0.2, 0.8);

/// Advance (in em) assumed for a Type 3 glyph, whose width hayro does not expose.
const TYPE3_ADVANCE: f64 = 0.6;

/// A run of glyphs drawn on one line, next to each other, as a reader would group them: a
/// glyph drawn more than an em after the previous one, behind it or off its baseline starts
/// a new run (so columns and table cells that far apart are runs of their own; cells set
/// closer share one).
/// Coordinates are PDF points in the page's default user space (origin bottom left, y up), the
/// same space as `Pdf::page_box`.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    /// The run's text (Unicode via ToUnicode), with a space where the PDF leaves a gap
    /// between words instead of drawing a space glyph.
    pub text: String,
    /// Left edge: the first visible glyph's origin.
    pub x0: f64,
    /// Bottom edge: the lowest ink of the run's glyphs (descenders).
    pub y0: f64,
    /// Right edge: the last visible glyph's origin plus its advance.
    pub x1: f64,
    /// Top edge: the highest ink of the run's glyphs (ascenders, accents).
    pub y1: f64,
    /// The largest font size in the run, in points as printed (after every transform).
    pub size: f64,
    /// Whether some glyph of the run sticks out of the clip region it is drawn in (a form
    /// XObject's bounding box, a clipped box): it is drawn but not (wholly) visible.
    pub clipped: bool,
}

impl TextRun {
    /// Width and height of the intersection of the two runs' boxes (negative when apart).
    pub fn intersection(&self, other: &TextRun) -> (f64, f64) {
        (self.x1.min(other.x1) - self.x0.max(other.x0), self.y1.min(other.y1) - self.y0.max(other.y0))
    }

    /// Whether the run's box lies inside `frame` (x0, y0, x1, y1), give or take `TOLERANCE`.
    pub fn inside(&self, frame: [f64; 4]) -> bool {
        self.x0 >= frame[0] - TOLERANCE
            && self.y0 >= frame[1] - TOLERANCE
            && self.x1 <= frame[2] + TOLERANCE
            && self.y1 <= frame[3] + TOLERANCE
    }

    /// The centre of the run's box.
    pub fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
}

/// A Table structure element: its cells and whether it has a header row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableInfo {
    /// Number of TR elements.
    pub rows: usize,
    /// Number of TH cells.
    pub th: usize,
    /// Number of TD cells.
    pub td: usize,
    /// Whether the first row holds TH cells.
    pub header_row: bool,
}

/// Where a string was found: the page and the union of the boxes of the runs it touches.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Page index, from 0.
    pub page: usize,
    /// Left edge, points.
    pub x0: f64,
    /// Bottom edge, points.
    pub y0: f64,
    /// Right edge, points.
    pub x1: f64,
    /// Top edge, points.
    pub y1: f64,
}

/// The text layout of every page of a PDF, computed once: ask it as many questions as needed.
pub struct Inspection {
    pages: Vec<PageLayout>,
}

/// One page's runs and what the text searches need.
struct PageLayout {
    runs: Vec<TextRun>,
    /// TrimBox, or MediaBox without one.
    frame: [f64; 4],
    /// The page's text, squashed (see `squash`).
    squashed: String,
    /// For each byte of `squashed`, the run it came from.
    owner: Vec<usize>,
}

impl Pdf {
    /// Lays out the text of every page (one pass over the document). Prefer this to the
    /// one-question methods below when asking several questions of one PDF.
    pub fn inspect(&self) -> Inspection {
        // hayro reads bytes; `Pdf` keeps only the parsed document, so write it out again.
        let mut bytes = Vec::new();
        self.doc().clone().save_to(&mut bytes).expect("serialise the PDF");
        let pdf = hayro_syntax::Pdf::new(bytes).expect("hayro reads the PDF");
        let cache = InterpreterCache::new();
        let settings = InterpreterSettings { render_annotations: false, ..InterpreterSettings::default() };
        let pages = pdf
            .pages()
            .iter()
            .enumerate()
            .map(|(index, page)| {
                let media = page.media_box().to_kurbo();
                let mut context =
                    Context::new(Affine::IDENTITY, media, &cache, page.xref(), settings.clone());
                let mut collector = Collector::default();
                interpret_page(page, &mut context, &mut collector);
                let frame =
                    self.page_box(index, b"TrimBox").unwrap_or([media.x0, media.y0, media.x1, media.y1]);
                PageLayout::new(group_runs(&collector.glyphs), frame)
            })
            .collect();
        Inspection { pages }
    }

    /// Every run of text drawn on page `page` (from 0), in drawing order. See `Inspection`.
    pub fn text_runs(&self, page: usize) -> Vec<TextRun> {
        self.inspect().text_runs(page).to_vec()
    }

    /// Pairs of runs on page `page` whose boxes overlap by more than `TOLERANCE` both ways.
    pub fn overlaps(&self, page: usize) -> Vec<(TextRun, TextRun)> {
        self.inspect().overlaps(page)
    }

    /// Runs on page `page` not wholly inside its TrimBox (MediaBox without one).
    pub fn outside(&self, page: usize) -> Vec<TextRun> {
        self.inspect().outside(page)
    }

    /// The first page (from 0) whose text contains `text`, whitespace and hyphens squashed.
    pub fn page_of(&self, text: &str) -> Option<usize> {
        self.inspect().page_of(text)
    }

    /// The alt text of every Figure structure element, in tree order (None: missing or empty).
    pub fn figures(&self) -> Vec<Option<String>> {
        let mut tree = Tree::new(self.doc());
        tree.walk_root();
        tree.figures
    }

    /// Every Table structure element, in tree order.
    pub fn tables(&self) -> Vec<TableInfo> {
        let mut tree = Tree::new(self.doc());
        tree.walk_root();
        tree.tables
    }
}

impl Inspection {
    /// Number of pages.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Every run of text drawn on page `page` (from 0), in drawing order.
    pub fn text_runs(&self, page: usize) -> &[TextRun] {
        &self.pages[page].runs
    }

    /// Pairs of runs on page `page` whose boxes overlap by more than `TOLERANCE` both ways.
    /// Glyphs of one run (one line, side by side) never count against each other.
    pub fn overlaps(&self, page: usize) -> Vec<(TextRun, TextRun)> {
        let runs = &self.pages[page].runs;
        // Sweep from left to right, so each run is only compared with runs that start before
        // it ends: the pages hold hundreds of runs.
        let mut order: Vec<usize> = (0..runs.len()).collect();
        order.sort_by(|&a, &b| runs[a].x0.total_cmp(&runs[b].x0));
        let mut pairs = Vec::new();
        for (i, &a) in order.iter().enumerate() {
            for &b in &order[i + 1..] {
                if runs[b].x0 >= runs[a].x1 - TOLERANCE {
                    break;
                }
                let (w, h) = runs[a].intersection(&runs[b]);
                if w > TOLERANCE && h > TOLERANCE {
                    let (first, second) = if a < b { (a, b) } else { (b, a) };
                    pairs.push((runs[first].clone(), runs[second].clone()));
                }
            }
        }
        pairs
    }

    /// Runs on page `page` not wholly inside its TrimBox (MediaBox without one).
    pub fn outside(&self, page: usize) -> Vec<TextRun> {
        let layout = &self.pages[page];
        layout.runs.iter().filter(|r| !r.inside(layout.frame)).cloned().collect()
    }

    /// Runs on page `page` that are drawn but clipped (see `TextRun::clipped`).
    pub fn clipped(&self, page: usize) -> Vec<TextRun> {
        self.pages[page].runs.iter().filter(|r| r.clipped).cloned().collect()
    }

    /// The TrimBox of page `page` (MediaBox without one), as (x0, y0, x1, y1).
    pub fn frame(&self, page: usize) -> [f64; 4] {
        self.pages[page].frame
    }

    /// The runs of page `page` whose centre lies in `area` (x0, y0, x1, y1).
    pub fn runs_in(&self, page: usize, area: [f64; 4]) -> Vec<TextRun> {
        self.pages[page]
            .runs
            .iter()
            .filter(|r| {
                let (x, y) = r.centre();
                (area[0]..=area[2]).contains(&x) && (area[1]..=area[3]).contains(&y)
            })
            .cloned()
            .collect()
    }

    /// The first page (from 0) whose text contains `text`, whitespace and hyphens squashed
    /// (so line breaks and hyphenation do not matter).
    pub fn page_of(&self, text: &str) -> Option<usize> {
        let needle = squash(text);
        self.pages.iter().position(|p| p.squashed.contains(&needle))
    }

    /// Every page (from 0) whose text contains `text`, squashed as in `page_of`.
    pub fn pages_of(&self, text: &str) -> Vec<usize> {
        let needle = squash(text);
        (0..self.pages.len()).filter(|&i| self.pages[i].squashed.contains(&needle)).collect()
    }

    /// Every occurrence of `text` (squashed as in `page_of`), with the boxes of the runs it
    /// touches joined: where on the sheet a title or a number is printed.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let needle = squash(text);
        if needle.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for (page, layout) in self.pages.iter().enumerate() {
            for (start, _) in layout.squashed.match_indices(&needle) {
                let mut owners: Vec<usize> = layout.owner[start..start + needle.len()].to_vec();
                owners.dedup();
                let runs = owners.iter().map(|&i| &layout.runs[i]);
                found.push(Found {
                    page,
                    x0: runs.clone().map(|r| r.x0).fold(f64::INFINITY, f64::min),
                    y0: runs.clone().map(|r| r.y0).fold(f64::INFINITY, f64::min),
                    x1: runs.clone().map(|r| r.x1).fold(f64::NEG_INFINITY, f64::max),
                    y1: runs.map(|r| r.y1).fold(f64::NEG_INFINITY, f64::max),
                });
            }
        }
        found
    }
}

impl PageLayout {
    /// A page's runs with its squashed text, each byte mapped to the run it came from.
    fn new(runs: Vec<TextRun>, frame: [f64; 4]) -> Self {
        let mut squashed = String::new();
        let mut owner = Vec::new();
        for (i, run) in runs.iter().enumerate() {
            let part = squash(&run.text);
            owner.extend(std::iter::repeat_n(i, part.len()));
            squashed.push_str(&part);
        }
        Self { runs, frame, squashed, owner }
    }
}

/// A glyph as drawn: its text, where it sits and how big it is.
struct Placed {
    text: BfString,
    /// Maps em units (1 = the font size) at the glyph's origin to page space.
    em: Affine,
    /// The inverse of `em`; None when the glyph is squashed flat.
    inverse: Option<Affine>,
    /// Advance in em.
    advance: f64,
    /// The printed font size: the length of the em frame's vertical unit.
    size: f64,
    /// From the origin to the advance, as high as the ink; None for a space (no ink).
    bbox: Option<Rect>,
    clipped: bool,
}

impl Placed {
    /// A glyph at `em` with its advance and ink (em units), its box and size worked out once.
    fn new(text: BfString, em: Affine, advance: f64, ink: Option<(f64, f64)>) -> Self {
        let bbox = ink.map(|(bottom, top)| {
            let corner = |x, y| em * Point::new(x, y);
            Rect::from_points(corner(0.0, bottom), corner(advance, top))
                .union_pt(corner(advance, bottom))
                .union_pt(corner(0.0, top))
        });
        let inverse = (em.determinant().abs() > 1e-12).then(|| em.inverse());
        let size = linear(em, Vec2::new(0.0, 1.0)).hypot();
        Self { text, em, inverse, advance, size, bbox, clipped: false }
    }

    /// Appends the glyph's text to `out`.
    fn push_text(&self, out: &mut String) {
        match &self.text {
            BfString::Char(c) => out.push(*c),
            BfString::String(s) => out.push_str(s),
        }
    }
}

/// A hayro device that records every glyph with its position; everything else is ignored.
#[derive(Default)]
struct Collector {
    glyphs: Vec<Placed>,
    /// The clip regions in force, as bounding boxes in page space (innermost last).
    clips: Vec<Rect>,
    /// Vertical ink extent of each outline glyph met so far, by hayro's glyph key: a page
    /// draws the same few hundred glyphs thousands of times.
    ink: HashMap<u128, Option<(f64, f64)>>,
}

impl Collector {
    /// Bottom and top of the glyph's ink in em, None when it has none.
    fn ink(&mut self, glyph: &Glyph<'_>) -> Option<(f64, f64)> {
        let Glyph::Outline(outline) = glyph else { return Some(TYPE3_INK) };
        *self.ink.entry(outline.identifier().cache_key()).or_insert_with(|| {
            let path = outline.outline();
            // Outlines are in a 1000-unit em.
            (path.elements().len() > 1).then(|| {
                let b = path.bounding_box();
                (b.y0 / 1000.0, b.y1 / 1000.0)
            })
        })
    }
}

impl<'a> Device<'a> for Collector {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, clip: &ClipPath) {
        let bbox = clip.path.bounding_box();
        let inner = self.clips.last().map_or(bbox, |outer| outer.intersect(bbox));
        self.clips.push(inner);
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        mode: &GlyphDrawMode,
    ) {
        // Invisible text cannot collide with anything on paper.
        if matches!(mode, GlyphDrawMode::Invisible) {
            return;
        }
        let text = glyph.as_unicode().unwrap_or(BfString::Char('\u{fffd}'));
        let advance = match glyph {
            Glyph::Outline(g) => f64::from(g.advance_width().unwrap_or(0.0)) / 1000.0,
            Glyph::Type3(_) => TYPE3_ADVANCE,
        };
        let ink = self.ink(glyph);
        // glyph_transform maps the 1000-unit glyph space into user space.
        let em = transform * glyph_transform * Affine::scale(1000.0);
        // Fill-and-stroke text draws each glyph twice; it is one glyph on paper.
        if let Some(last) = self.glyphs.last()
            && last.text == text
            && last.em.as_coeffs().iter().zip(em.as_coeffs()).all(|(a, b)| (a - b).abs() < 1e-9)
        {
            return;
        }
        let mut placed = Placed::new(text, em, advance, ink);
        if let (Some(clip), Some(b)) = (self.clips.last(), placed.bbox) {
            placed.clipped = b.x0 < clip.x0 - TOLERANCE
                || b.y0 < clip.y0 - TOLERANCE
                || b.x1 > clip.x1 + TOLERANCE
                || b.y1 > clip.y1 + TOLERANCE;
        }
        self.glyphs.push(placed);
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {
        self.clips.pop();
    }
    fn pop_transparency_group(&mut self) {}
}

/// How `next` follows `prev` on a line: the gap (in `prev`'s em) from `prev`'s advance to
/// `next`'s origin, or None when `next` starts a new run. It continues the line when drawn
/// after it in the same direction on (about) the same baseline, not behind it and not more
/// than an em past its end: a superscript stays in the run; a new line, a new column or a
/// table cell far to the right starts a new one.
fn follows(prev: &Placed, next: &Placed) -> Option<f64> {
    let q = prev.inverse? * (next.em * Point::ORIGIN);
    let scale = prev.size.max(next.size) / prev.size;
    let a = linear(prev.em, Vec2::new(1.0, 0.0));
    let b = linear(next.em, Vec2::new(1.0, 0.0));
    let gap = q.x - prev.advance;
    let same_line = a.normalize().dot(b.normalize()) > 0.99 && q.y.abs() <= 0.6 * scale;
    (same_line && q.x >= -0.1 && gap <= 1.0 * scale).then_some(gap)
}

/// `v` through the linear part of `a` (a direction, not a point).
fn linear(a: Affine, v: Vec2) -> Vec2 {
    let [xx, yx, xy, yy, _, _] = a.as_coeffs();
    Vec2::new(xx * v.x + xy * v.y, yx * v.x + yy * v.y)
}

/// Groups glyphs, in drawing order, into runs of one line each (see `follows`); runs with
/// no ink at all (spaces) are left out.
fn group_runs(glyphs: &[Placed]) -> Vec<TextRun> {
    let mut runs = Vec::new();
    let mut current: Option<TextRun> = None;
    for (i, g) in glyphs.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &glyphs[p]);
        match prev.and_then(|p| follows(p, g).map(|gap| (p, gap))) {
            Some((p, gap)) => {
                let run = current.get_or_insert_with(empty_run);
                // A gap of a fifth of an em between two inked glyphs is a word space the
                // PDF positioned instead of drawing.
                if gap > 0.2 && p.bbox.is_some() && g.bbox.is_some() {
                    run.text.push(' ');
                }
            }
            None => runs.extend(current.replace(empty_run()).filter(|r| r.size > 0.0)),
        }
        let run = current.get_or_insert_with(empty_run);
        g.push_text(&mut run.text);
        if let Some(b) = g.bbox {
            if run.size == 0.0 {
                (run.x0, run.y0, run.x1, run.y1) = (b.x0, b.y0, b.x1, b.y1);
            } else {
                (run.x0, run.y0) = (run.x0.min(b.x0), run.y0.min(b.y0));
                (run.x1, run.y1) = (run.x1.max(b.x1), run.y1.max(b.y1));
            }
            run.size = run.size.max(g.size);
            run.clipped |= g.clipped;
        }
    }
    // A run's size stays 0 until it has ink.
    runs.extend(current.filter(|r| r.size > 0.0));
    runs
}

/// A run with no text and no ink yet (size 0).
fn empty_run() -> TextRun {
    TextRun { text: String::new(), x0: 0.0, y0: 0.0, x1: 0.0, y1: 0.0, size: 0.0, clipped: false }
}

/// `o` as a dictionary, through a reference.
fn resolve<'d>(doc: &'d lopdf::Document, o: &'d lopdf::Object) -> Option<&'d lopdf::Dictionary> {
    match o {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok(),
        lopdf::Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// A walk over the structure tree collecting figures and tables.
struct Tree<'d> {
    doc: &'d lopdf::Document,
    /// Custom structure types to standard ones, from the RoleMap.
    roles: HashMap<Vec<u8>, Vec<u8>>,
    figures: Vec<Option<String>>,
    tables: Vec<TableInfo>,
    /// Elements already visited: guards against a malformed tree with cycles.
    seen: std::collections::HashSet<lopdf::ObjectId>,
}

impl<'d> Tree<'d> {
    /// A walk over `doc`'s tree, nothing collected yet.
    fn new(doc: &'d lopdf::Document) -> Self {
        Self { doc, roles: HashMap::new(), figures: Vec::new(), tables: Vec::new(), seen: Default::default() }
    }

    /// `o` as a dictionary, through a reference.
    fn dict(&self, o: &'d lopdf::Object) -> Option<&'d lopdf::Dictionary> {
        resolve(self.doc, o)
    }

    /// Walks the whole tree from the StructTreeRoot, reading its RoleMap first.
    fn walk_root(&mut self) {
        let doc = self.doc;
        let Some(root) =
            doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()).and_then(|r| self.dict(r))
        else {
            return;
        };
        if let Some(map) = root.get(b"RoleMap").ok().and_then(|m| self.dict(m)) {
            self.roles =
                map.iter().filter_map(|(k, v)| Some((k.clone(), v.as_name().ok()?.to_vec()))).collect();
        }
        if let Ok(kids) = root.get(b"K") {
            for kid in self.kids(kids) {
                self.walk(kid);
            }
        }
    }

    /// The structure elements among the kids `k` (a single kid or an array): marked-content
    /// and object references are leaves and left out.
    fn kids(&mut self, k: &'d lopdf::Object) -> Vec<&'d lopdf::Dictionary> {
        let items: Vec<&lopdf::Object> = match k {
            lopdf::Object::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        let mut out = Vec::new();
        for item in items {
            if let lopdf::Object::Reference(id) = item
                && !self.seen.insert(*id)
            {
                continue;
            }
            let Some(d) = self.dict(item) else { continue };
            if d.get(b"S").is_ok() {
                out.push(d);
            }
        }
        out
    }

    /// The standard structure type of element `e`, through the RoleMap.
    fn role(&self, e: &lopdf::Dictionary) -> Vec<u8> {
        let mut s = e.get(b"S").and_then(lopdf::Object::as_name).map(<[u8]>::to_vec).unwrap_or_default();
        for _ in 0..8 {
            match self.roles.get(&s) {
                Some(next) if *next != s => s = next.clone(),
                _ => break,
            }
        }
        s
    }

    /// Collects `e` if it is a figure or a table, then walks its kids.
    fn walk(&mut self, e: &'d lopdf::Dictionary) {
        match self.role(e).as_slice() {
            b"Figure" => {
                let alt = e.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok());
                self.figures.push(alt.filter(|a| !a.trim().is_empty()));
            }
            b"Table" => {
                let mut info = TableInfo { rows: 0, th: 0, td: 0, header_row: false };
                // The table's rows and cells are walked here; anything inside a cell
                // (figures, nested tables) by the general walk below.
                self.table(e, &mut info, 0);
                self.tables.push(info);
            }
            _ => {}
        }
        if let Ok(k) = e.get(b"K") {
            for kid in self.kids(k) {
                self.walk(kid);
            }
        }
    }

    /// Counts rows and cells under `e`, not entering nested tables; `depth` stops a malformed
    /// tree with cycles.
    fn table(&self, e: &'d lopdf::Dictionary, info: &mut TableInfo, depth: usize) {
        let Ok(k) = e.get(b"K") else { return };
        if depth > 16 {
            return;
        }
        let items: Vec<&lopdf::Object> = match k {
            lopdf::Object::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for kid in items.into_iter().filter_map(|o| self.dict(o)).filter(|d| d.get(b"S").is_ok()) {
            match self.role(kid).as_slice() {
                b"TR" => {
                    let first = info.rows == 0;
                    info.rows += 1;
                    let th_before = info.th;
                    self.table(kid, info, depth + 1);
                    if first {
                        info.header_row = info.th > th_before;
                    }
                }
                b"TH" => info.th += 1,
                b"TD" => info.td += 1,
                b"Table" => {}
                _ => self.table(kid, info, depth + 1),
            }
        }
    }
}
