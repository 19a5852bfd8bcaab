//! Saddle-stitch imposition: A5 pages two-up on A4 landscape, in the sheet order a duplex
//! office printer needs, with the tag tree still in reading order.
//!
//! Typst's PDF export builds the tag tree in the order it walks the pages, so it must see the
//! pages in reading order. We therefore do it in two steps:
//! 1. [`two_up`]: one A4-landscape page per booklet page, the page drawn on the half it will
//!    occupy on its sheet (odd pages right, even pages left), padded with blank pages to a
//!    multiple of four. Typst exports this in reading order, fully tagged.
//! 2. [`sheet_groups`] and [`overlay`]: each sheet side becomes one PDF page that draws its two halves as form
//!    XObjects ([`overlay`], which the trifold also uses to put its back cover, laid out
//!    last, on the outside sheet). Marked content keeps its ids (an XObject has its own `StructParents`), and the
//!    structure tree is only re-pointed at the new pages, so its order stays the reading order.

use std::collections::BTreeMap;

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
/// for two), against the fold in the middle; padded to whole sheets.
pub fn two_up(doc: &PagedDocument) -> PagedDocument {
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
            // 1-based odd pages sit on the right half of their sheet side.
            let x = if k % 2 == 0 { fold } else { fold - single.x };
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

    // Every page's drawing becomes a form XObject.
    let mut xobjects = Vec::with_capacity(pages.len());
    for &page in &pages {
        xobjects.push(page_to_xobject(&mut doc, page)?);
    }

    // One new page per sheet side.
    let mut sheets = Vec::new();
    let mut sheet_of: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    for group in groups {
        let members: Vec<ObjectId> = group.iter().map(|&n| pages[n - 1]).collect();
        let first = dict(&doc, members[0])?.clone();
        let mut annots = Vec::new();
        for &p in &members {
            if let Ok(a) = dict(&doc, p)?.get(b"Annots") {
                let a = match a {
                    Object::Reference(id) => doc.get_object(*id).map_err(|e| e.to_string())?.clone(),
                    other => other.clone(),
                };
                annots.extend(a.as_array().map_err(|e| e.to_string())?.iter().cloned());
            }
        }
        let mut xdict = Dictionary::new();
        let mut ops = Vec::new();
        for (i, &n) in group.iter().enumerate() {
            let name = format!("P{i}");
            ops.push(format!("q /{name} Do Q"));
            xdict.set(name, Object::Reference(xobjects[n - 1]));
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), ops.join(" ").into_bytes()));
        let mut sheet = Dictionary::new();
        sheet.set("Type", Object::Name(b"Page".to_vec()));
        sheet.set("Parent", Object::Reference(root));
        for key in [b"MediaBox".as_slice(), b"CropBox", b"TrimBox", b"BleedBox", b"ArtBox", b"Group"] {
            if let Ok(v) = first.get(key) {
                sheet.set(key, v.clone());
            }
        }
        sheet.set("Resources", Dictionary::from_iter([("XObject", Object::Dictionary(xdict))]));
        sheet.set("Contents", Object::Reference(contents));
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

    // Marked content now lives in the XObjects: say so in the structure tree.
    let stream_of: BTreeMap<ObjectId, ObjectId> =
        pages.iter().copied().zip(xobjects.iter().copied()).collect();
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for id in &ids {
        if let Some(Object::Dictionary(d)) = doc.objects.get_mut(id) {
            point_content_at_streams(d, &stream_of);
        }
    }
    // Everything that pointed at an old page (structure elements, annotations, outline
    // destinations) now points at its sheet side.
    for &page in &pages {
        doc.objects.remove(&page);
    }
    for obj in doc.objects.values_mut() {
        repoint(obj, &sheet_of);
    }
    let pages_dict = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
    pages_dict.set("Kids", Object::Array(sheets.iter().map(|&s| Object::Reference(s)).collect()));
    pages_dict.set("Count", Object::Integer(sheets.len() as i64));

    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The dictionary of object `id`.
fn dict(doc: &Document, id: ObjectId) -> Result<&Dictionary, String> {
    doc.get_object(id).and_then(Object::as_dict).map_err(|e| e.to_string())
}

/// Turns a page's content stream into a form XObject that draws the same thing.
fn page_to_xobject(doc: &mut Document, page: ObjectId) -> Result<ObjectId, String> {
    let p = dict(doc, page)?.clone();
    let stream = match p.get(b"Contents").map_err(|e| e.to_string())? {
        Object::Reference(id) => *id,
        Object::Array(a) if a.len() == 1 => a[0].as_reference().map_err(|e| e.to_string())?,
        _ => return Err("a page has several content streams".into()),
    };
    let resources = p.get(b"Resources").map_err(|e| e.to_string())?.clone();
    let bbox = p.get(b"MediaBox").map_err(|e| e.to_string())?.clone();
    let Object::Stream(s) = doc.get_object_mut(stream).map_err(|e| e.to_string())? else {
        return Err("page contents are not a stream".into());
    };
    s.dict.set("Type", Object::Name(b"XObject".to_vec()));
    s.dict.set("Subtype", Object::Name(b"Form".to_vec()));
    s.dict.set("BBox", bbox);
    s.dict.set("Resources", resources);
    for key in [b"StructParents".as_slice(), b"Group"] {
        if let Ok(v) = p.get(key) {
            s.dict.set(key, v.clone());
        }
    }
    Ok(stream)
}

/// In a structure element, replaces each marked-content id on an old page with a reference
/// that names the XObject the content is now in (PDF 1.7, 14.7.4.3).
fn point_content_at_streams(d: &mut Dictionary, stream_of: &BTreeMap<ObjectId, ObjectId>) {
    let is_elem = d.get(b"S").is_ok() && d.get(b"P").is_ok();
    let page = d.get(b"Pg").and_then(Object::as_reference).ok();
    let is_mcr = d.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"MCR");
    if is_mcr {
        if let Some(stm) = page.and_then(|p| stream_of.get(&p)) {
            d.set("Stm", Object::Reference(*stm));
        }
        return;
    }
    if !is_elem {
        return;
    }
    let stm = page.and_then(|p| stream_of.get(&p).map(|s| (p, *s)));
    let fix = |k: &mut Object| match k {
        Object::Integer(mcid) => {
            if let Some((pg, stm)) = stm {
                *k = Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"MCR".to_vec())),
                    ("Pg", Object::Reference(pg)),
                    ("Stm", Object::Reference(stm)),
                    ("MCID", Object::Integer(*mcid)),
                ]));
            }
        }
        Object::Dictionary(mcr) => point_content_at_streams(mcr, stream_of),
        _ => {}
    };
    if let Ok(k) = d.get_mut(b"K") {
        match k {
            Object::Array(items) => items.iter_mut().for_each(fix),
            other => fix(other),
        }
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
