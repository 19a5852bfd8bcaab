//! Saddle-stitch imposition: A5 pages two-up on A4 landscape, in the sheet order a duplex
//! office printer needs, with the tag tree still in reading order.
//!
//! Typst's PDF export builds the tag tree in the order it walks the pages, so it must see the
//! pages in reading order. We therefore do it in two steps:
//! 1. [`two_up`]: one A4-landscape page per booklet page, the page drawn on the half it will
//!    occupy on its sheet (odd pages right, even pages left), padded with blank pages to a
//!    multiple of four. Typst exports this in reading order, fully tagged.
//! 2. [`sheet_groups`] and [`overlay`]: each sheet side becomes one PDF page whose content
//!    is its two halves' content streams in turn ([`overlay`], which the trifold also uses to
//!    put its back cover, laid out last, on the outside sheet). Marked-content ids are shifted
//!    so they stay unique on the sheet, and the structure tree follows them; its order stays
//!    the reading order.

mod stream;

use std::collections::BTreeMap;
use std::io::Write as _;

use lopdf::content::{Content as PdfContent, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use typst::foundations::Content;
use typst::layout::{Abs, Frame, Point, Sides, Size};
use typst::model::Document as _;
use typst_layout::{Page, PagedDocument};

/// Booklet pages rounded up to whole sheets (four pages per folded sheet).
pub fn padded_len(pages: usize) -> usize {
    pages.div_ceil(4).max(1) * 4
}

/// The sheet sides of an `n`-page booklet (`n` a multiple of 4), in printing order: front,
/// back, front, back, …; each as (left page, right page), 1-based.
pub fn sheet_sides(n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(n / 2);
    for i in 0..n / 4 {
        out.push((n - 2 * i, 2 * i + 1));
        out.push((2 * i + 2, n - 2 * i - 1));
    }
    out
}

/// Step 1: each page on its half of a sheet (A4 landscape for A5 pages, else just wide enough
/// for two), against the fold in the middle; padded to whole sheets. A right-to-left booklet
/// is bound on the right, so its odd pages sit on the left half.
pub fn two_up(doc: &PagedDocument, rtl: bool) -> PagedDocument {
    let pages = doc.pages();
    let single = pages.first().map_or(Size::zero(), |p| p.frame.size());
    let a4 = Size::new(Abs::mm(297.0), Abs::mm(210.0));
    let size = Size::new(a4.x.max(single.x * 2.0), a4.y.max(single.y));
    let fold = size.x / 2.0;
    let top = (size.y - single.y) / 2.0;
    let fill = pages.first().map(|p| p.fill.clone()).unwrap_or_default();
    let n = padded_len(pages.len());
    let mut out = ecow::EcoVec::with_capacity(n);
    for k in 0..n {
        let mut frame = Frame::hard(size);
        if let Some(page) = pages.get(k) {
            // 1-based odd pages sit on the right half of their sheet side (left, right to left).
            let odd = k % 2 == 0;
            let x = if odd != rtl { fold } else { fold - single.x };
            frame.push_frame(Point::new(x, top), page.frame.clone());
        }
        out.push(Page {
            frame,
            bleed: Sides::splat(Abs::zero()),
            fill: fill.clone(),
            numbering: None,
            supplement: Content::empty(),
            number: k as u64 + 1,
        });
    }
    PagedDocument::new(out, doc.info().clone())
}

/// Step 2: the pages of a [`two_up`] document each sheet side draws, for [`overlay`].
pub fn sheet_groups(pages: usize) -> Result<Vec<Vec<usize>>, String> {
    if pages == 0 || !pages.is_multiple_of(4) {
        return Err(format!("{pages} pages is not a whole number of sheets"));
    }
    Ok(sheet_sides(pages).into_iter().map(|(l, r)| vec![l, r]).collect())
}

/// Builds a PDF whose page `i` draws the input pages `groups[i]` (1-based) on top of each
/// other, in order. Every input page must be used exactly once and all must have one size;
/// the structure tree keeps the input's page order as its reading order.
///
/// Each sheet side's content is its pages' content streams one after the other, each in
/// `q … Q`: the first page's stream is kept as Typst wrote it; the others' resource names get
/// a per-page prefix and their marked-content ids are shifted past those before it
/// ([`stream::rewrite`]), with the structure tree and its parent
/// tree following. So every mark stays inside the marked content Typst tagged it with (an
/// independent PDF/UA checker flags content drawn through a form outside marked content).
pub fn overlay(pdf: &[u8], groups: &[Vec<usize>]) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut used: Vec<usize> = groups.iter().flatten().copied().collect();
    used.sort_unstable();
    if used != (1..=pages.len()).collect::<Vec<_>>() {
        return Err(format!("cannot arrange {} pages as {groups:?}", pages.len()));
    }
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let mut tree = ParentTree::read(&doc);

    // One new page per sheet side.
    let mut sheets = Vec::new();
    let mut sheet_of: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    // Each old page's marked-content ids are shifted by this much on its sheet side.
    let mut shift: BTreeMap<ObjectId, i64> = BTreeMap::new();
    for group in groups {
        let members: Vec<ObjectId> = group.iter().map(|&n| pages[n - 1]).collect();
        let first = dict(&doc, members[0])?.clone();
        let mut annots = Vec::new();
        let mut pieces = Vec::new();
        let mut resources = Dictionary::new();
        let mut parents: Vec<Object> = Vec::new();
        for (i, &p) in members.iter().enumerate() {
            let page = dict(&doc, p)?.clone();
            if let Ok(a) = page.get(b"Annots") {
                let a = match a {
                    Object::Reference(id) => doc.get_object(*id).map_err(|e| e.to_string())?.clone(),
                    other => other.clone(),
                };
                annots.extend(a.as_array().map_err(|e| e.to_string())?.iter().cloned());
            }
            let own = match page.get(b"Resources") {
                Ok(r) => resolve_dict(&doc, r)?,
                Err(_) => Dictionary::new(),
            };
            // The first page keeps its names (and its stream as it is); the others' get a prefix.
            let prefix = if i == 0 { String::new() } else { format!("P{i}") };
            let names = merge_resources(&doc, &own, &prefix, &mut resources)?;
            let offset = parents.len() as i64;
            if let Some(key) = page.get(b"StructParents").ok().and_then(|o| o.as_i64().ok())
                && let Some(Object::Array(items)) = tree.take(key)
            {
                parents.extend(items);
            }
            shift.insert(p, offset);
            let kept = page.get(b"Contents").and_then(Object::as_reference).ok();
            pieces.push(match kept {
                Some(id) if i == 0 && matches!(doc.get_object(id), Ok(Object::Stream(_))) => Piece::Kept(id),
                _ => {
                    let raw = doc.get_page_content(p);
                    Piece::Rewritten(match stream::rewrite(&raw, &names, offset) {
                        Some(bytes) => bytes,
                        None => reencode(&raw, &names, offset)?,
                    })
                }
            });
        }
        let contents = sheet_contents(&mut doc, pieces)?;
        let mut sheet = Dictionary::new();
        sheet.set("Type", Object::Name(b"Page".to_vec()));
        sheet.set("Parent", Object::Reference(root));
        for key in [b"MediaBox".as_slice(), b"CropBox", b"TrimBox", b"BleedBox", b"ArtBox", b"Group"] {
            if let Ok(v) = first.get(key) {
                sheet.set(key, v.clone());
            }
        }
        sheet.set("Resources", Object::Dictionary(resources));
        sheet.set("Contents", contents);
        if !parents.is_empty() {
            sheet.set("StructParents", Object::Integer(tree.add(parents)));
        }
        if !annots.is_empty() {
            sheet.set("Annots", Object::Array(annots));
            sheet.set("Tabs", Object::Name(b"S".to_vec()));
        }
        let id = doc.add_object(sheet);
        for p in members {
            sheet_of.insert(p, id);
        }
        sheets.push(id);
    }

    // Structure elements name marked content by page and id: shift the ids (their pages
    // are re-pointed below with everything else).
    shift_structure(&mut doc, &shift);
    tree.write(&mut doc)?;
    for &page in &pages {
        doc.objects.remove(&page);
    }
    for obj in doc.objects.values_mut() {
        repoint(obj, &sheet_of);
    }
    let pages_dict = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
    pages_dict.set("Kids", Object::Array(sheets.iter().map(|&s| Object::Reference(s)).collect()));
    pages_dict.set("Count", Object::Integer(sheets.len() as i64));
    // The old pages' content streams and resource dictionaries nothing refers to any more.
    doc.prune_objects();

    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// A page's part of its sheet side's content.
enum Piece {
    /// The page's own content stream, as it is (the first page of a sheet side).
    Kept(ObjectId),
    /// The page's content, rewritten for the sheet side.
    Rewritten(Vec<u8>),
}

/// The `Contents` of a sheet side: its pages' content in turn, each in `q … Q` (a layer of
/// its own, the trifold's one-page inside too). A kept stream is referred to as it is, between
/// new streams for the rest.
fn sheet_contents(doc: &mut Document, pieces: Vec<Piece>) -> Result<Object, String> {
    let mut streams = Vec::new();
    let mut pending = Vec::new();
    for piece in pieces {
        pending.extend_from_slice(b"q\n");
        match piece {
            Piece::Kept(id) => {
                streams.push(Object::Reference(doc.add_object(compressed(std::mem::take(&mut pending))?)));
                streams.push(Object::Reference(id));
                pending.push(b'\n');
            }
            Piece::Rewritten(bytes) => pending.extend_from_slice(&bytes),
        }
        pending.extend_from_slice(b"\nQ\n");
    }
    streams.push(Object::Reference(doc.add_object(compressed(pending)?)));
    Ok(match &streams[..] {
        [one] => one.clone(),
        _ => Object::Array(streams),
    })
}

/// A content stream of `bytes`, deflated where that makes it smaller (at zlib's default
/// level: deterministic, and several times faster than the best for a few per cent).
fn compressed(bytes: Vec<u8>) -> Result<Stream, String> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).map_err(|e| e.to_string())?;
    let deflated = encoder.finish().map_err(|e| e.to_string())?;
    Ok(if deflated.len() + 19 < bytes.len() {
        Stream::new(Dictionary::from_iter([("Filter", Object::Name(b"FlateDecode".to_vec()))]), deflated)
    } else {
        Stream::new(Dictionary::new(), bytes)
    })
}

/// `raw` read into operations, renamed and shifted, and written out again: for a stream
/// [`stream::rewrite`] does not read.
fn reencode(raw: &[u8], names: &Renames, offset: i64) -> Result<Vec<u8>, String> {
    let mut content = PdfContent::decode(raw).map_err(|e| e.to_string())?;
    for op in &mut content.operations {
        rename_operands(op, names, offset);
    }
    content.encode().map_err(|e| e.to_string())
}

/// The dictionary of object `id`.
fn dict(doc: &Document, id: ObjectId) -> Result<&Dictionary, String> {
    doc.get_object(id).and_then(Object::as_dict).map_err(|e| e.to_string())
}

/// `o` as a dictionary, following a reference.
fn resolve_dict(doc: &Document, o: &Object) -> Result<Dictionary, String> {
    match o {
        Object::Dictionary(d) => Ok(d.clone()),
        Object::Reference(id) => dict(doc, *id).cloned(),
        _ => Err("a resource entry is not a dictionary".into()),
    }
}

/// Resource categories whose entries a content stream names.
const CATEGORIES: [&[u8]; 7] =
    [b"Font", b"XObject", b"ExtGState", b"ColorSpace", b"Pattern", b"Shading", b"Properties"];

/// Per resource category, each old name and its new one.
pub(crate) type Renames = BTreeMap<Vec<u8>, BTreeMap<Vec<u8>, Vec<u8>>>;

/// Copies a page's resources into the sheet's under names with `prefix`; returns the renames,
/// per category.
fn merge_resources(
    doc: &Document,
    own: &Dictionary,
    prefix: &str,
    into: &mut Dictionary,
) -> Result<Renames, String> {
    let mut names = BTreeMap::new();
    for category in CATEGORIES {
        let Ok(entries) = own.get(category) else { continue };
        let entries = resolve_dict(doc, entries)?;
        if !matches!(into.get(category), Ok(Object::Dictionary(_))) {
            into.set(category, Object::Dictionary(Dictionary::new()));
        }
        let Ok(Object::Dictionary(target)) = into.get_mut(category) else { unreachable!("set above") };
        let mut renamed = BTreeMap::new();
        for (name, value) in entries.iter() {
            let new = [prefix.as_bytes(), name].concat();
            if target.has(&new) {
                return Err(format!("two pages name a resource `{}`", String::from_utf8_lossy(&new)));
            }
            target.set(new.clone(), value.clone());
            renamed.insert(name.clone(), new);
        }
        names.insert(category.to_vec(), renamed);
    }
    // Anything else (ProcSet) is the same for every page.
    for (key, value) in own.iter() {
        if !CATEGORIES.contains(&key.as_slice()) && into.get(key).is_err() {
            into.set(key.clone(), value.clone());
        }
    }
    Ok(names)
}

/// Renames the resources `op` names and shifts its marked-content id by `offset`.
fn rename_operands(op: &mut Operation, names: &Renames, offset: i64) {
    let rename = |o: &mut Object, category: &[u8]| {
        if let Object::Name(n) = o
            && let Some(new) = names.get(category).and_then(|m| m.get(n.as_slice()))
        {
            *n = new.clone();
        }
    };
    match op.operator.as_str() {
        "Tf" => op.operands.iter_mut().take(1).for_each(|o| rename(o, b"Font")),
        "Do" => op.operands.iter_mut().take(1).for_each(|o| rename(o, b"XObject")),
        "gs" => op.operands.iter_mut().take(1).for_each(|o| rename(o, b"ExtGState")),
        "cs" | "CS" => op.operands.iter_mut().take(1).for_each(|o| rename(o, b"ColorSpace")),
        "scn" | "SCN" => op.operands.iter_mut().for_each(|o| rename(o, b"Pattern")),
        "sh" => op.operands.iter_mut().take(1).for_each(|o| rename(o, b"Shading")),
        "BDC" | "DP" => {
            if let Some(props) = op.operands.get_mut(1) {
                match props {
                    Object::Dictionary(d) => {
                        if let Ok(Object::Integer(mcid)) = d.get_mut(b"MCID") {
                            *mcid += offset;
                        }
                    }
                    other => rename(other, b"Properties"),
                }
            }
        }
        _ => {}
    }
}

/// The structure tree's parent tree, as a flat number tree: StructParents key → value.
struct ParentTree {
    /// The structure tree root, if the document has one.
    root: Option<ObjectId>,
    entries: BTreeMap<i64, Object>,
}

impl ParentTree {
    fn read(doc: &Document) -> ParentTree {
        let root = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"StructTreeRoot").ok())
            .and_then(|r| r.as_reference().ok());
        let deref = |o: &Object| match o {
            Object::Reference(r) => doc.get_object(*r).cloned().unwrap_or(Object::Null),
            v => v.clone(),
        };
        let mut entries = BTreeMap::new();
        let mut nodes: Vec<Object> = root
            .and_then(|r| dict(doc, r).ok())
            .and_then(|r| r.get(b"ParentTree").ok())
            .map(deref)
            .into_iter()
            .collect();
        while let Some(node) = nodes.pop() {
            let Ok(node) = node.as_dict() else { continue };
            if let Ok(kids) = node.get(b"Kids").and_then(Object::as_array) {
                nodes.extend(kids.iter().map(deref));
            }
            if let Ok(nums) = node.get(b"Nums").and_then(Object::as_array) {
                for pair in nums.chunks(2) {
                    if let (Ok(key), Some(value)) = (pair[0].as_i64(), pair.get(1)) {
                        // A page's array of elements is read (sheets join them); a single
                        // element (an annotation's) stays a reference to it.
                        let value = match deref(value) {
                            array @ Object::Array(_) => array,
                            _ => value.clone(),
                        };
                        entries.insert(key, value);
                    }
                }
            }
        }
        ParentTree { root, entries }
    }

    /// Removes the entry for `key` and returns it.
    fn take(&mut self, key: i64) -> Option<Object> {
        self.entries.remove(&key)
    }

    /// Adds `items` under a new key and returns the key.
    fn add(&mut self, items: Vec<Object>) -> i64 {
        let key = self.entries.keys().next_back().map_or(0, |k| k + 1);
        self.entries.insert(key, Object::Array(items));
        key
    }

    /// Writes the tree back into the structure tree root as one node, with the next key.
    fn write(&self, doc: &mut Document) -> Result<(), String> {
        let Some(root) = self.root else { return Ok(()) };
        let nums: Vec<Object> =
            self.entries.iter().flat_map(|(k, v)| [Object::Integer(*k), v.clone()]).collect();
        let next = self.entries.keys().next_back().map_or(0, |k| k + 1);
        let root = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
        root.set("ParentTree", Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))])));
        root.set("ParentTreeNextKey", Object::Integer(next));
        Ok(())
    }
}

/// Shifts the marked-content ids the structure elements name on each old page by that page's
/// `shift`, following the page each element inherits (`Pg` on it or an ancestor).
fn shift_structure(doc: &mut Document, shift: &BTreeMap<ObjectId, i64>) {
    let Some(root) =
        doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()).and_then(|r| r.as_reference().ok())
    else {
        return;
    };
    let mut todo: Vec<(ObjectId, Option<ObjectId>)> = vec![(root, None)];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((id, inherited)) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Ok(Object::Dictionary(d)) = doc.get_object_mut(id) else { continue };
        let page = d.get(b"Pg").and_then(Object::as_reference).ok().or(inherited);
        let by = page.and_then(|p| shift.get(&p)).copied().unwrap_or(0);
        let mut children = Vec::new();
        let mut fix = |k: &mut Object| match k {
            Object::Integer(mcid) => *mcid += by,
            Object::Dictionary(mcr) => {
                let own = mcr.get(b"Pg").and_then(Object::as_reference).ok().or(page);
                let by = own.and_then(|p| shift.get(&p)).copied().unwrap_or(0);
                if let Ok(Object::Integer(mcid)) = mcr.get_mut(b"MCID") {
                    *mcid += by;
                }
            }
            Object::Reference(child) => children.push(*child),
            _ => {}
        };
        if let Ok(k) = d.get_mut(b"K") {
            match k {
                Object::Array(items) => items.iter_mut().for_each(&mut fix),
                other => fix(other),
            }
        }
        todo.extend(children.into_iter().map(|c| (c, page)));
    }
}

/// Replaces references to old pages with references to their sheet sides, everywhere.
fn repoint(obj: &mut Object, sheet_of: &BTreeMap<ObjectId, ObjectId>) {
    match obj {
        Object::Reference(id) => {
            if let Some(new) = sheet_of.get(id) {
                *id = *new;
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| repoint(o, sheet_of)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| repoint(o, sheet_of)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| repoint(o, sheet_of)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_pages_follow_the_saddle_stitch_order() {
        assert_eq!(sheet_sides(8), vec![(8, 1), (2, 7), (6, 3), (4, 5)]);
    }

    #[test]
    fn every_page_lands_once_odd_pages_right() {
        for n in [4, 8, 12, 16, 20] {
            let sides = sheet_sides(n);
            let mut seen: Vec<usize> = sides.iter().flat_map(|&(l, r)| [l, r]).collect();
            assert!(sides.iter().all(|&(l, r)| l % 2 == 0 && r % 2 == 1), "{n}: {sides:?}");
            seen.sort_unstable();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn pads_to_whole_sheets() {
        assert_eq!([1, 4, 5, 9, 12].map(padded_len), [4, 4, 8, 12, 12]);
    }
}
