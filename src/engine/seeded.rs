//! Typst's compile loop, started from an earlier build's introspector of the same document.
//!
//! Typst lays a document out again while anything it introspected (page numbers, citations,
//! measured text, metadata) has changed, starting from an empty introspector: a handout
//! takes two or three layout iterations, a booklet three or four, even when every layout in
//! them is found in the memo cache. In `watch`, a document rebuilt after an edit comes out
//! the same almost everywhere as the time before, so starting its first iteration from that
//! build's finished introspector (its *seed*) lets it settle in one or two. What is laid out
//! does not depend on the start: a document is finished only when what its last iteration
//! introspected is what that iteration produced, as in `typst::compile`; a seed that does not
//! match (a page more) costs an iteration more, as the empty start would have.
//!
//! Only `watch` keeps seeds (`Engine::seed_rebuilds`), per practice, text, template and
//! layout. Starting each practice's copy of a leaflet from the previous practice's
//! introspector was tried in builds: every document of the demo and the fixture projects (313
//! PDFs) came out the same to the byte as from nothing, but the copies were slower on the
//! corpus fixture, since measuring asks the introspector where measured elements (the
//! practice's contact links) will stand, and the answers no longer matched the measurements
//! memoised from the empty start.
//!
//! This is `typst::compile_impl` (typst 0.15.1, `typst/src/lib.rs`) for paged documents, with
//! the starting introspector as a parameter; keep it in step with Typst when upgrading.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use typst::World;
use typst::comemo::{Constraint, Track};
use typst::diag::{SourceDiagnostic, SourceResult, StrResult, Warned};
use typst::ecow::{EcoString, EcoVec};
use typst::engine::{Engine, Route, Sink, Traced};
use typst::foundations::{Content, Label, Output, Selector, StyleChain, Target, TargetElem};
use typst::introspection::{
    DocumentPosition, EmptyIntrospector, ITER_NAMES, Introspector, Location, MAX_ITERS,
};
use typst::model::Numbering;
use typst::syntax::VirtualPath;
use typst::utils::{PicoStr, Protected};
use typst_layout::{PagedDocument, PagedIntrospector};
use typst_timing::TimingScope;

/// Finished introspectors of recent documents, by the key of the document. Empty until
/// [`Seeds::keep`] is called: a build makes each document once, so only `watch`, which
/// rebuilds them, keeps seeds.
#[derive(Default)]
pub struct Seeds {
    /// Most recent last; at most `limit`.
    kept: Mutex<Vec<(String, Arc<PagedIntrospector>)>>,
    /// How many are kept (0: none).
    limit: usize,
}

impl Seeds {
    /// How many seeds `watch` keeps, the most recent: every document of the demo (60), or one
    /// text in seven formats for nine practices; an introspector holds every element of its
    /// document, so not every document of a network of practices.
    pub const WATCHED: usize = 64;

    /// Keeps the last `limit` documents' introspectors from now on (0: none, forgetting
    /// those kept).
    pub fn keep(&mut self, limit: usize) {
        self.limit = limit;
        let kept = self.kept.get_mut().unwrap_or_else(|e| e.into_inner());
        let surplus = kept.len().saturating_sub(limit);
        kept.drain(..surplus);
    }

    /// The seed kept under `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<PagedIntrospector>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().rev().find(|(k, _)| k == key).map(|(_, i)| i.clone())
    }

    /// Keeps `document`'s introspector under `key`, in place of any before it.
    pub fn put(&self, key: &str, document: &PagedDocument) {
        if self.limit == 0 {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(k, _)| k != key);
        if kept.len() >= self.limit {
            kept.remove(0);
        }
        kept.push((key.to_owned(), document.introspector().clone()));
    }
}

/// An earlier build's introspector, as the first layout iteration sees it: what it holds,
/// less what the templates' `recall` (common.typ) kept in `<leafpress-recall>` metadata. A
/// recalled decision is the one thing introspected that holds itself in place (the trifold's
/// plan recalled is the plan laid out again), and the earlier build's decision need not be
/// this one's (the edit may have made a panel longer): the document decides afresh.
struct Seed<'a> {
    inner: &'a dyn Introspector,
    recalled: Label,
}

impl Seed<'_> {
    fn shown(&self, content: &Content) -> bool {
        content.label() != Some(self.recalled)
    }
}

impl Introspector for Seed<'_> {
    fn query(&self, selector: &Selector) -> EcoVec<Content> {
        let all = self.inner.query(selector);
        if all.iter().all(|c| self.shown(c)) {
            all
        } else {
            all.into_iter().filter(|c| self.shown(c)).collect()
        }
    }

    fn query_first(&self, selector: &Selector) -> Option<Content> {
        self.query(selector).into_iter().next()
    }

    fn query_unique(&self, selector: &Selector) -> StrResult<Content> {
        let found = self.query(selector);
        match found.len() {
            1 => Ok(found[0].clone()),
            0 => Err("selector does not match any element".into()),
            _ => Err("selector matches multiple elements".into()),
        }
    }

    fn query_label(&self, label: Label) -> StrResult<&Content> {
        if label == self.recalled {
            return Err("label does not exist in the document".into());
        }
        self.inner.query_label(label)
    }

    fn query_labelled(&self) -> EcoVec<Content> {
        self.inner.query_labelled().into_iter().filter(|c| self.shown(c)).collect()
    }

    fn query_count_before(&self, selector: &Selector, end: Location) -> usize {
        self.inner.query_count_before(selector, end)
    }

    fn label_count(&self, label: Label) -> usize {
        if label == self.recalled { 0 } else { self.inner.label_count(label) }
    }

    fn locator(&self, key: u128, base: Location) -> Option<Location> {
        self.inner.locator(key, base)
    }

    fn pages(&self, location: Location) -> Option<NonZeroUsize> {
        self.inner.pages(location)
    }

    fn page(&self, location: Location) -> Option<NonZeroUsize> {
        self.inner.page(location)
    }

    fn position(&self, location: Location) -> Option<DocumentPosition> {
        self.inner.position(location)
    }

    fn page_numbering(&self, location: Location) -> Option<&Numbering> {
        self.inner.page_numbering(location)
    }

    fn page_supplement(&self, location: Location) -> Option<&Content> {
        self.inner.page_supplement(location)
    }

    fn anchor(&self, location: Location) -> Option<&EcoString> {
        self.inner.anchor(location)
    }

    fn document(&self, location: Location) -> Option<Location> {
        self.inner.document(location)
    }

    fn path(&self, location: Location) -> Option<&VirtualPath> {
        self.inner.path(location)
    }
}

/// Compiles `world`'s main file to a paged document, the first layout iteration introspecting
/// `seed` (less its recalled decisions, see [`Seed`]) or nothing, as `typst::compile` does;
/// with the number of layout iterations it took.
pub fn compile(
    world: &dyn World,
    seed: Option<&PagedIntrospector>,
) -> Warned<SourceResult<(PagedDocument, usize)>> {
    let _scope = TimingScope::new("compile");
    let mut sink = Sink::new();
    let recalled = Label::new(PicoStr::intern("leafpress-recall")).expect("the label is not empty");
    let seed = seed.map(|inner| Seed { inner, recalled });
    let seed = seed.as_ref().map(|s| s as &dyn Introspector);
    let output = compile_impl(world.track(), Traced::default().track(), &mut sink, seed).map_err(deduplicate);
    Warned { output, warnings: sink.warnings() }
}

fn compile_impl(
    world: typst::comemo::Tracked<dyn World + '_>,
    traced: typst::comemo::Tracked<Traced>,
    sink: &mut Sink,
    seed: Option<&dyn Introspector>,
) -> SourceResult<(PagedDocument, usize)> {
    let library = world.library();
    let base = StyleChain::new(&library.styles);
    let target = TargetElem::target.set(Target::Paged).wrap();
    let styles = base.chain(&target);
    let empty_introspector = EmptyIntrospector;
    let start: &dyn Introspector = seed.unwrap_or(&empty_introspector);

    let main = world.main();
    let main = world.source(main).map_err(|err| {
        EcoVec::from([SourceDiagnostic::error(typst::syntax::Span::detached(), EcoString::from(err))])
    })?;

    let content =
        typst_eval::eval(world, library, traced, sink.track_mut(), Route::default().track(), &main)?
            .content();

    let mut history: Vec<PagedDocument> = Vec::with_capacity(MAX_ITERS - 1);
    let mut document: PagedDocument;
    loop {
        let _scope = TimingScope::new(ITER_NAMES[history.len()]);
        let introspector =
            history.last().map(|doc| doc.introspector().as_ref() as &dyn Introspector).unwrap_or(start);
        let constraint = Constraint::new();

        let mut subsink = Sink::new();
        let mut engine = Engine {
            library,
            world,
            introspector: Protected::new(introspector.track_with(&constraint)),
            traced,
            sink: subsink.track_mut(),
            route: Route::default(),
        };

        document = PagedDocument::create(&mut engine, &content, styles)?;

        let stable = {
            let _scope = TimingScope::new("check stabilized");
            constraint.validate(Output::introspector(&document))
        };
        if stable {
            sink.extend_from_sink(subsink);
            break;
        }

        if history.len() == MAX_ITERS - 1 {
            let mut introspectors = [start; MAX_ITERS + 1];
            for i in 1..MAX_ITERS {
                introspectors[i] = history[i - 1].introspector().as_ref();
            }
            introspectors[MAX_ITERS] = document.introspector().as_ref();
            let warnings = typst::introspection::analyze(world, introspectors, subsink.introspections());
            sink.extend_from_sink(subsink);
            for warning in warnings {
                sink.warn(warning);
            }
            break;
        }

        history.push(document);
    }

    let delayed = sink.delayed();
    if !delayed.is_empty() {
        return Err(delayed);
    }
    Ok((document, history.len() + 1))
}

/// Diagnostics without repeats (the same message at the same place), as Typst reports them.
fn deduplicate(mut diags: EcoVec<SourceDiagnostic>) -> EcoVec<SourceDiagnostic> {
    let mut unique = std::collections::HashSet::new();
    diags.retain(|diag| unique.insert(typst::utils::hash128(&(&diag.span, &diag.message))));
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::diag::{FileError, FileResult};
    use typst::foundations::{Bytes, Datetime};
    use typst::syntax::{FileId, Source};
    use typst::text::{Font, FontBook};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt};

    /// A world of one main file and no fonts (the documents below draw boxes, no text).
    struct OneFile {
        library: LazyHash<typst::Library>,
        book: LazyHash<FontBook>,
        main: Source,
    }

    impl OneFile {
        fn new(text: &str) -> Self {
            let id = crate::engine::builtin_id("test.typ");
            OneFile {
                library: LazyHash::new(Library::builder().build()),
                book: LazyHash::new(FontBook::new()),
                main: Source::new(id, text.to_owned()),
            }
        }
    }

    impl World for OneFile {
        fn library(&self) -> &LazyHash<typst::Library> {
            &self.library
        }
        fn book(&self) -> &LazyHash<FontBook> {
            &self.book
        }
        fn main(&self) -> FileId {
            self.main.id()
        }
        fn source(&self, id: FileId) -> FileResult<Source> {
            if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
        }
        fn file(&self, _: FileId) -> FileResult<Bytes> {
            Err(FileError::AccessDenied)
        }
        fn font(&self, _: usize) -> Option<Font> {
            None
        }
        fn today(&self, _: Option<typst::foundations::Duration>) -> Option<Datetime> {
            None
        }
    }

    fn laid(world: &OneFile, seed: Option<&PagedIntrospector>) -> (PagedDocument, usize) {
        compile(world, seed).output.unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// The boxes' widths on the first page, in points.
    fn widths(document: &PagedDocument) -> Vec<f64> {
        let mut found = Vec::new();
        for (_, item) in document.pages()[0].frame.items() {
            if let typst::layout::FrameItem::Group(g) = item {
                found.push(g.frame.width().to_pt().round());
            }
        }
        found
    }

    #[test]
    fn seeds_are_kept_only_up_to_the_limit() {
        let (document, _) = laid(&OneFile::new("#box(width: 1pt, height: 1pt)"), None);
        let mut seeds = Seeds::default();
        seeds.put("a", &document);
        assert!(seeds.get("a").is_none(), "a build keeps none");
        seeds.keep(2);
        for key in ["a", "b", "c"] {
            seeds.put(key, &document);
        }
        assert_eq!(["a", "b", "c"].map(|k| seeds.get(k).is_some()), [false, true, true]);
        seeds.keep(0);
        assert!(seeds.get("c").is_none(), "turned off, the seeds are forgotten");
    }

    #[test]
    fn a_seed_that_matches_settles_the_first_iteration() {
        // Laid out from nothing, the box waits for the second iteration to see the marker.
        let world = OneFile::new(
            "#metadata(1) <m>\n#context if query(<m>).len() > 0 { box(width: 10pt, height: 5pt) }",
        );
        let (first, iterations) = laid(&world, None);
        assert_eq!(iterations, 2);
        let (again, iterations) = laid(&world, Some(first.introspector()));
        assert_eq!(iterations, 1);
        assert_eq!(widths(&again), widths(&first));
        assert_eq!(widths(&first), [10.0]);
    }

    #[test]
    fn a_seed_hides_recalled_decisions_and_a_wrong_seed_costs_iterations_not_the_result() {
        // A decision kept in `<leafpress-recall>` holds itself in place; from the seed it is
        // not seen, so the document decides as from nothing (20 pt, not the seed's 30).
        let recalling = "#context { let r = query(<leafpress-recall>); let w = if r.len() > 0 { r.first().value } else { 20pt }; box(width: w, height: 5pt); [#metadata(w) <leafpress-recall>] }";
        let (alone, _) = laid(&OneFile::new(recalling), None);
        assert_eq!(widths(&alone), [20.0]);
        let other = OneFile::new("#box(width: 1pt, height: 1pt)\n#metadata(30pt) <leafpress-recall>");
        let (seed, _) = laid(&other, None);
        let (seeded, _) = laid(&OneFile::new(recalling), Some(seed.introspector()));
        assert_eq!(widths(&seeded), [20.0]);
        // Any other fact of the seed that does not hold is laid out again until it does.
        let counting = "#metadata(1) <m>\n#metadata(2) <m>\n#context box(width: query(<m>).len() * 10pt + 1pt, height: 5pt)";
        let (alone, _) = laid(&OneFile::new(counting), None);
        let (wrong, _) = laid(&OneFile::new("#metadata(1) <m>"), None);
        let (seeded, iterations) = laid(&OneFile::new(counting), Some(wrong.introspector()));
        assert_eq!(iterations, 2);
        assert_eq!((widths(&seeded), widths(&alone)), (vec![21.0], vec![21.0]));
    }
}
