//! The one SVG treemap of the HTML reports (`dlint image --format html`, `dlint compare
//! --format html`): squarified cells sized by bytes, each top cell coloured by its key and
//! optionally split into its children. Tooltips (`<title>`) carry the path and size; labels
//! are drawn only where they fit.

use crate::report::compare::html::{color, esc};
use crate::report::compare::short_cmd;
use crate::units::human;
use std::fmt::Write as _;

/// One cell: a directory (or file) and its bytes; `children` are drawn inside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// Full path shown in the tooltip and the label (`/usr`).
    pub path: String,
    /// Bytes (the area).
    pub size: u64,
    /// Cells drawn inside this one (biggest first), under its label.
    pub children: Vec<Cell>,
}

/// Writes `<svg>` of `width`×`height` with `cells` (biggest first, sizes > 0) laid out in
/// `area` (a part of the canvas, so two maps can share one scale). `label` is the
/// `aria-label` of the image.
pub(crate) fn svg_treemap(
    s: &mut String,
    label: &str,
    width: f64,
    height: f64,
    area: Rect,
    cells: &[Cell],
) {
    let _ = writeln!(
        s,
        "<svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"{width}\" height=\"{height}\" fill=\"#fafafa\" stroke=\"#eee\"/>",
        esc(label)
    );
    let values: Vec<f64> = cells.iter().map(|c| c.size as f64).collect();
    for (cell, r) in cells.iter().zip(squarify(&values, area)) {
        let _ = writeln!(
            s,
            "<g><rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"2\"><title>{} {}</title></rect>",
            r.x,
            r.y,
            r.w,
            r.h,
            color(&cell.path),
            esc(&cell.path),
            esc(&human(cell.size))
        );
        if cell.children.is_empty() && r.w > 46.0 && r.h > 26.0 {
            // a leaf with room: path and size on two lines
            let max_chars = ((r.w - 6.0) / 6.5) as usize;
            let _ = writeln!(
                s,
                "<text x=\"{:.2}\" y=\"{:.2}\" fill=\"#fff\">{}</text><text x=\"{:.2}\" y=\"{:.2}\" fill=\"#fff\">{}</text>",
                r.x + 4.0,
                r.y + 13.0,
                esc(&short_cmd(&cell.path, max_chars.max(4))),
                r.x + 4.0,
                r.y + 25.0,
                esc(&human(cell.size))
            );
        } else {
            text(s, r, &format!("{} {}", cell.path, human(cell.size)), true);
        }
        let inner = Rect {
            x: r.x + 2.0,
            y: r.y + 16.0,
            w: (r.w - 4.0).max(0.0),
            h: (r.h - 18.0).max(0.0),
        };
        let vals: Vec<f64> = cell.children.iter().map(|c| c.size as f64).collect();
        for (child, c) in cell.children.iter().zip(squarify(&vals, inner)) {
            let _ = writeln!(
                s,
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"#ffffff\" fill-opacity=\"0.18\" stroke=\"#fff\" stroke-opacity=\"0.6\"><title>{} {}</title></rect>",
                c.x,
                c.y,
                c.w,
                c.h,
                esc(&child.path),
                esc(&human(child.size))
            );
            let name = child.path.rsplit('/').next().unwrap_or(&child.path);
            text(s, c, &format!("{name} {}", human(child.size)), false);
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</svg>");
}

/// A label in the top left corner of `r`, shortened to its width; none in a small cell.
fn text(s: &mut String, r: Rect, label: &str, bold: bool) {
    if r.w <= 50.0 || r.h <= 14.0 {
        return;
    }
    let max_chars = ((r.w - 6.0) / 6.5) as usize;
    let _ = writeln!(
        s,
        "<text x=\"{:.2}\" y=\"{:.2}\" fill=\"#fff\"{}>{}</text>",
        r.x + 4.0,
        r.y + 12.0,
        if bold { " font-weight=\"bold\"" } else { "" },
        esc(&short_cmd(label, max_chars.max(4)))
    );
}

/// A laid-out rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

fn worst(row: &[f64], side: f64) -> f64 {
    let s: f64 = row.iter().sum();
    let max = row.iter().copied().fold(0.0, f64::max);
    let min = row.iter().copied().fold(f64::INFINITY, f64::min);
    if s <= 0.0 || min <= 0.0 || side <= 0.0 {
        return f64::INFINITY;
    }
    let s2 = s * s;
    let side2 = side * side;
    (side2 * max / s2).max(s2 / (side2 * min))
}

/// Squarified treemap (Bruls, Huizing, van Wijk) of `values` (sorted descending, > 0) in the
/// rectangle `r`; returns one rectangle per value, in order.
pub(crate) fn squarify(values: &[f64], r: Rect) -> Vec<Rect> {
    let total: f64 = values.iter().sum();
    let mut out = Vec::with_capacity(values.len());
    if total <= 0.0 || r.w <= 0.0 || r.h <= 0.0 {
        return out;
    }
    let scale = r.w * r.h / total;
    let areas: Vec<f64> = values.iter().map(|v| v * scale).collect();
    let (mut x, mut y, mut w, mut h) = (r.x, r.y, r.w, r.h);
    let mut i = 0;
    while i < areas.len() {
        let short = w.min(h);
        let mut end = i + 1;
        let mut best = worst(&areas[i..end], short);
        while end < areas.len() {
            let next = worst(&areas[i..=end], short);
            if next > best {
                break;
            }
            best = next;
            end += 1;
        }
        let sum: f64 = areas[i..end].iter().sum();
        if w >= h {
            let cw = if h > 0.0 { sum / h } else { 0.0 };
            let mut yy = y;
            for a in &areas[i..end] {
                let rh = if cw > 0.0 { a / cw } else { 0.0 };
                out.push(Rect {
                    x,
                    y: yy,
                    w: cw,
                    h: rh,
                });
                yy += rh;
            }
            x += cw;
            w -= cw;
        } else {
            let rh = if w > 0.0 { sum / w } else { 0.0 };
            let mut xx = x;
            for a in &areas[i..end] {
                let cw = if rh > 0.0 { a / rh } else { 0.0 };
                out.push(Rect {
                    x: xx,
                    y,
                    w: cw,
                    h: rh,
                });
                xx += cw;
            }
            y += rh;
            h -= rh;
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treemap_fills_the_rectangle_without_overlap() {
        let vals = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0];
        let r = Rect {
            x: 0.0,
            y: 0.0,
            w: 6.0,
            h: 4.0,
        };
        let rects = squarify(&vals, r);
        assert_eq!(rects.len(), vals.len());
        let area: f64 = rects.iter().map(|r| r.w * r.h).sum();
        assert!((area - 24.0).abs() < 1e-9);
        for (v, r) in vals.iter().zip(&rects) {
            assert!((r.w * r.h - v).abs() < 1e-9, "{v} {r:?}");
            assert!(
                r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.w <= 6.0 + 1e-9 && r.y + r.h <= 4.0 + 1e-9
            );
        }
        for (i, p) in rects.iter().enumerate() {
            for q in &rects[i + 1..] {
                let ox = (p.x + p.w).min(q.x + q.w) - p.x.max(q.x);
                let oy = (p.y + p.h).min(q.y + q.h) - p.y.max(q.y);
                assert!(ox <= 1e-9 || oy <= 1e-9, "{p:?} overlaps {q:?}");
            }
        }
        assert!(squarify(&[], r).is_empty());
        assert!(squarify(&[1.0], Rect { w: 0.0, ..r }).is_empty());
    }

    #[test]
    fn svg_has_one_cell_per_entry_and_escapes_paths() {
        let cells = vec![
            Cell {
                path: "/usr".into(),
                size: 900,
                children: vec![
                    Cell {
                        path: "/usr/lib".into(),
                        size: 600,
                        children: Vec::new(),
                    },
                    Cell {
                        path: "/usr/<b>".into(),
                        size: 300,
                        children: Vec::new(),
                    },
                ],
            },
            Cell {
                path: "/etc".into(),
                size: 100,
                children: Vec::new(),
            },
        ];
        let mut s = String::new();
        let area = Rect {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 300.0,
        };
        svg_treemap(&mut s, "map of \"x\"", 500.0, 300.0, area, &cells);
        assert!(
            s.starts_with("<svg role=\"img\" aria-label=\"map of &quot;x&quot;\" width=\"500\"")
        );
        assert_eq!(s.matches("<g>").count(), 2);
        assert_eq!(s.matches("<title>").count(), 4);
        assert!(s.contains("<title>/usr/&lt;b&gt; 300 B</title>"));
        assert!(!s.contains("<b>"));
        assert!(s.trim_end().ends_with("</svg>"));
    }
}
