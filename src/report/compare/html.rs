//! One self-contained HTML page: inline CSS, inline SVG bar charts of both images' layers and
//! treemaps of sizes by directory. No scripts, no network.

use super::{
    gate_line, human, human_signed, package_rows, percent, points, ratio, short_cmd, short_id,
    signed,
};
use crate::image::compare::{Comparison, Delta, GrowthCheck, LayerRow};
use crate::report::treemap::{Cell, Rect, svg_treemap};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#86bcb6",
];
const SHARED: &str = "#bab0ac";

/// A stable colour for a key (FNV-1a hash into the palette).
pub(crate) fn color(key: &str) -> &'static str {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    PALETTE[(h as usize) % PALETTE.len()]
}

const CSS: &str = "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f6f6f6}td.l,th.l{text-align:left}td.cmd{text-align:left;white-space:normal;font-family:ui-monospace,monospace;font-size:12px;max-width:520px;overflow-wrap:anywhere}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.pos{color:#b3261e}.neg{color:#1b7f3b}.muted{color:#777}.fail{color:#b3261e;font-weight:600}.ok{color:#1b7f3b;font-weight:600}
.maps{display:flex;gap:24px;flex-wrap:wrap}.maps figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
svg text{font:11px system-ui,sans-serif}";

fn diff_class(d: i64) -> &'static str {
    match d {
        d if d > 0 => "pos",
        d if d < 0 => "neg",
        _ => "muted",
    }
}

fn size_tr(s: &mut String, name: &str, d: &Delta) {
    let _ = writeln!(
        s,
        "<tr><td class=l>{name}</td><td>{}</td><td>{}</td><td class={}>{}</td><td>{}</td></tr>",
        human(d.a),
        human(d.b),
        diff_class(d.diff),
        human_signed(d.diff),
        ratio(d)
    );
}

fn count_tr(s: &mut String, name: &str, d: &Delta) {
    let _ = writeln!(
        s,
        "<tr><td class=l>{name}</td><td>{}</td><td>{}</td><td class={}>{}</td><td>{}</td></tr>",
        d.a,
        d.b,
        diff_class(d.diff),
        signed(d.diff),
        ratio(d)
    );
}

/// Stacked bars of both images' layers, scaled to the larger image, plus one bar per layer.
fn layer_chart(s: &mut String, c: &Comparison) {
    let width = 1000.0;
    let label_w = 40.0;
    let bar_w = width - label_w - 10.0;
    let max_total = c.totals.uncompressed.a.max(c.totals.uncompressed.b).max(1) as f64;
    let _ = writeln!(
        s,
        "<svg role=\"img\" aria-label=\"layers of both images\" width=\"{width}\" height=\"78\" viewBox=\"0 0 {width} 78\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (row, (side, layers)) in [("A", &c.layers.a), ("B", &c.layers.b)]
        .into_iter()
        .enumerate()
    {
        let y = 6.0 + row as f64 * 36.0;
        let _ = writeln!(s, "<text x=\"0\" y=\"{:.1}\">{side}</text>", y + 18.0);
        let mut x = label_w;
        for l in layers.iter() {
            let w = l.uncompressed as f64 / max_total * bar_w;
            let fill = if l.shared { SHARED } else { color(&l.diff_id) };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.2}\" y=\"{y:.1}\" width=\"{w:.2}\" height=\"28\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\"><title>{side} layer {}: {} {}{}</title></rect>",
                l.index,
                human(l.uncompressed),
                esc(&short_cmd(&l.created_by, 120)),
                if l.shared { " (shared)" } else { "" }
            );
            x += w;
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"muted\">{}</text>",
            (x + 6.0).min(width - 60.0),
            y + 18.0,
            human(layers.iter().map(|l| l.uncompressed).sum())
        );
    }
    let _ = writeln!(s, "</svg>");
    let _ = writeln!(
        s,
        "<p class=muted>Grey: layers shared by both images (same diff_id). Bar lengths are uncompressed sizes on one scale.</p>"
    );
}

/// One table per image listing its layers with a bar each.
fn layer_tables(s: &mut String, c: &Comparison) {
    let max_total = c.totals.uncompressed.a.max(c.totals.uncompressed.b).max(1) as f64;
    for (side, layers) in [("A", &c.layers.a), ("B", &c.layers.b)] {
        layer_table(s, side, layers, max_total);
    }
}

fn layer_table(s: &mut String, side: &str, layers: &[LayerRow], max_total: f64) {
    let _ = writeln!(
        s,
        "<h3>{side}</h3><table><tr><th>#</th><th class=l>layer</th><th>compressed</th><th>size</th><th>files</th><th class=l>bar</th><th class=l>created by</th></tr>"
    );
    for l in layers {
        let w = (l.uncompressed as f64 / max_total * 300.0).max(if l.uncompressed > 0 {
            1.0
        } else {
            0.0
        });
        let fill = if l.shared { SHARED } else { color(&l.diff_id) };
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"l\"><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\"><svg width=\"300\" height=\"12\" xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"{w:.2}\" height=\"12\" fill=\"{fill}\"/></svg></td><td class=\"cmd\">{}</td></tr>",
            l.index,
            esc(short_id(&l.diff_id)),
            if l.shared {
                " <span class=muted>shared</span>"
            } else {
                ""
            },
            human(l.compressed),
            human(l.uncompressed),
            l.files,
            esc(&short_cmd(&l.created_by, 200))
        );
    }
    let _ = writeln!(s, "</table>");
}

/// Two treemaps of the size by directory, the candidate's area scaled by its size ratio.
fn treemaps(s: &mut String, c: &Comparison) {
    let (w0, h0) = (560.0f64, 380.0f64);
    let max_total = c
        .directories
        .iter()
        .map(|d| d.size.a)
        .sum::<u64>()
        .max(c.directories.iter().map(|d| d.size.b).sum::<u64>())
        .max(1) as f64;
    let _ = writeln!(s, "<div class=maps>");
    for (side, label) in [("A", &c.a), ("B", &c.b)] {
        let mut items: Vec<(&str, u64)> = c
            .directories
            .iter()
            .map(|d| {
                (
                    d.path.as_str(),
                    if side == "A" { d.size.a } else { d.size.b },
                )
            })
            .filter(|(_, v)| *v > 0)
            .collect();
        items.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
        let total: u64 = items.iter().map(|i| i.1).sum();
        // Area proportional to the image's size: both maps share one scale.
        let k = (total as f64 / max_total).sqrt();
        let (w, h) = (w0 * k, h0 * k);
        let _ = writeln!(
            s,
            "<figure><figcaption>{side}: {} — {}</figcaption>",
            esc(label),
            human(total)
        );
        let cells: Vec<Cell> = items
            .iter()
            .map(|&(path, size)| Cell {
                path: path.to_string(),
                size,
                children: Vec::new(),
            })
            .collect();
        let area = Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
        };
        svg_treemap(
            s,
            &format!("sizes by directory of {side}"),
            w0,
            h0,
            area,
            &cells,
        );
        let _ = writeln!(s, "</figure>");
    }
    let _ = writeln!(s, "</div>");
}

fn package_section(s: &mut String, title: &str, rows: &[[String; 6]], what: &str) {
    let _ = writeln!(s, "<h3>{}</h3>", esc(title));
    if rows.is_empty() {
        let _ = writeln!(s, "<p class=muted>No differences.</p>");
        return;
    }
    let _ = writeln!(
        s,
        "<table><tr><th class=l></th><th class=l>package</th><th class=l>A version</th><th class=l>B version</th><th>A {what}</th><th>B {what}</th></tr>"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "<tr><td class=l>{}</td><td class=l><code>{}</code></td><td class=l>{}</td><td class=l>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r[0]),
            esc(&r[1]),
            esc(&r[2]),
            esc(&r[3]),
            esc(&r[4]),
            esc(&r[5])
        );
    }
    let _ = writeln!(s, "</table>");
}

/// Renders the comparison as one HTML document.
pub fn render(c: &Comparison, gate: Option<&GrowthCheck>, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>dlint compare: {} vs {}</title><style>{CSS}</style></head><body>",
        esc(&c.a),
        esc(&c.b)
    );
    let _ = writeln!(
        s,
        "<h1>dlint compare</h1><p>A (baseline): <code>{}</code><br>B (candidate): <code>{}</code></p>",
        esc(&c.a),
        esc(&c.b)
    );
    if c.identical_content {
        let _ = writeln!(
            s,
            "<p class=ok>Identical content: the same {} layers (diff_ids) in the same order.</p>",
            c.layers.a.len()
        );
    }
    if let Some(g) = gate {
        let class = if g.exceeded { "fail" } else { "ok" };
        let _ = writeln!(s, "<p class={class}>{}</p>", esc(&gate_line(g)));
    }
    let t = &c.totals;
    let _ = writeln!(
        s,
        "<h2>Totals</h2><table><tr><th class=l></th><th>A</th><th>B</th><th>diff</th><th>ratio</th></tr>"
    );
    size_tr(&mut s, "compressed", &t.compressed);
    size_tr(&mut s, "uncompressed", &t.uncompressed);
    size_tr(&mut s, "final filesystem", &t.visible);
    count_tr(&mut s, "layers", &t.layers);
    count_tr(&mut s, "files", &t.files);
    size_tr(&mut s, "wasted", &t.wasted);
    let _ = writeln!(
        s,
        "<tr><td class=l>efficiency</td><td>{}</td><td>{}</td><td>{}</td><td></td></tr>",
        percent(t.efficiency.a),
        percent(t.efficiency.b),
        points(t.efficiency.diff)
    );
    size_tr(&mut s, "caches left", &c.caches.bytes);
    let _ = writeln!(s, "</table>");
    let _ = writeln!(
        s,
        "<h2>Base image</h2><p>A: {}<br>B: {}<br>{}</p>",
        esc(&super::base::side_line(&c.base.a)),
        esc(&super::base::side_line(&c.base.b)),
        esc(&super::base::split_line(c))
    );

    let l = &c.layers;
    let _ = writeln!(
        s,
        "<h2>Layers</h2><p>{} shared ({}), {} common base layer(s).</p>",
        l.shared,
        human(l.shared_bytes),
        l.common_prefix
    );
    layer_chart(&mut s, c);

    let _ = writeln!(s, "<h2>Size by directory (depth {})</h2>", c.depth);
    treemaps(&mut s, c);
    let _ = writeln!(
        s,
        "<table><tr><th class=l>directory</th><th>A</th><th>B</th><th>diff</th><th>ratio</th></tr>"
    );
    for d in &c.directories {
        size_tr(&mut s, &format!("<code>{}</code>", esc(&d.path)), &d.size);
    }
    let _ = writeln!(s, "</table>");

    let _ = writeln!(s, "<h2>Layers of each image</h2>");
    layer_tables(&mut s, c);

    let o = &c.os_packages;
    let db = |d: Option<crate::image::packages::PackageDb>| {
        d.map_or_else(|| "none".to_string(), |d| d.to_string())
    };
    let _ = writeln!(
        s,
        "<h2>OS packages</h2><p>A: {} — {} packages, {}. B: {} — {} packages, {}. {} the same in both.</p>",
        db(o.a_db),
        o.count.a,
        human(o.size.a),
        db(o.b_db),
        o.count.b,
        human(o.size.b),
        o.same
    );
    package_section(
        &mut s,
        &format!(
            "{} only in A, {} only in B, {} different versions",
            o.only_a.len(),
            o.only_b.len(),
            o.changed.len()
        ),
        &package_rows(&o.only_a, &o.only_b, &o.changed),
        "size",
    );
    for n in &o.notes {
        let _ = writeln!(s, "<p class=muted>Note: {}</p>", esc(n));
    }

    let _ = writeln!(s, "<h2>Language packages</h2>");
    if c.lang_packages.is_empty() {
        let _ = writeln!(s, "<p class=muted>None found.</p>");
    }
    for lp in &c.lang_packages {
        package_section(
            &mut s,
            &format!(
                "{}: A {} ({}), B {} ({}), {} same",
                lp.ecosystem,
                lp.count.a,
                human(lp.bytes.a),
                lp.count.b,
                human(lp.bytes.b),
                lp.same
            ),
            &package_rows(&lp.only_a, &lp.only_b, &lp.changed),
            "bytes",
        );
    }

    let f = &c.files;
    let _ = writeln!(
        s,
        "<h2>Files</h2><p>{} only in A ({}), {} only in B ({}), {} changed size, {} same size.</p>",
        f.only_a_count,
        human(f.only_a_bytes),
        f.only_b_count,
        human(f.only_b_bytes),
        f.changed_count,
        f.same_count
    );
    let _ = writeln!(
        s,
        "<table><tr><th class=l></th><th class=l>path</th><th>A</th><th>B</th><th>diff</th></tr>"
    );
    for r in &f.only_a {
        let _ = writeln!(
            s,
            "<tr><td class=l>only A</td><td class=l><code>{}</code></td><td>{}</td><td></td><td class=neg>-{}</td></tr>",
            esc(&r.path),
            human(r.size),
            human(r.size)
        );
    }
    for r in &f.only_b {
        let _ = writeln!(
            s,
            "<tr><td class=l>only B</td><td class=l><code>{}</code></td><td></td><td>{}</td><td class=pos>+{}</td></tr>",
            esc(&r.path),
            human(r.size),
            human(r.size)
        );
    }
    for r in &f.changed {
        let _ = writeln!(
            s,
            "<tr><td class=l>changed</td><td class=l><code>{}</code></td><td>{}</td><td>{}</td><td class={}>{}</td></tr>",
            esc(&r.path),
            human(r.size.a),
            human(r.size.b),
            diff_class(r.size.diff),
            human_signed(r.size.diff)
        );
    }
    let _ = writeln!(s, "</table>");

    let _ = writeln!(s, "<h2>Caches left</h2>");
    if c.caches.a.is_empty() && c.caches.b.is_empty() {
        let _ = writeln!(s, "<p class=muted>None in either image.</p>");
    } else {
        let _ = writeln!(
            s,
            "<table><tr><th class=l>image</th><th class=l>cache</th><th>bytes</th><th>layer</th></tr>"
        );
        for (side, list) in [("A", &c.caches.a), ("B", &c.caches.b)] {
            for cache in list.iter() {
                let _ = writeln!(
                    s,
                    "<tr><td class=l>{side}</td><td class=l><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                    esc(&cache.path),
                    human(cache.bytes),
                    cache.layer.map_or_else(String::new, |l| l.to_string())
                );
            }
        }
        let _ = writeln!(s, "</table>");
    }
    let _ = writeln!(
        s,
        "<p class=muted>Generated by dlint {}.</p></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
