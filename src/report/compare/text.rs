//! Text tables for `dlint compare`.

use super::{
    gate_line, human, human_signed, package_rows, percent, points, ratio, short_cmd, short_id,
    signed,
};
use crate::image::compare::{Comparison, Delta, GrowthCheck, LayerRow};
use std::io::{self, Write};

/// A simple aligned table: the first column left-aligned, the others right-aligned unless
/// listed in `left`.
pub(super) struct Table {
    pub rows: Vec<Vec<String>>,
    pub left: Vec<usize>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            rows: vec![header.iter().map(|s| s.to_string()).collect()],
            left: vec![0],
        }
    }

    pub fn left(mut self, cols: &[usize]) -> Self {
        self.left.extend_from_slice(cols);
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn write(&self, indent: &str, out: &mut dyn Write) -> io::Result<()> {
        let ncol = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut width = vec![0usize; ncol];
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                width[i] = width[i].max(c.chars().count());
            }
        }
        for r in &self.rows {
            let mut line = String::from(indent);
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = width[i].saturating_sub(c.chars().count());
                let last = i + 1 == r.len();
                if self.left.contains(&i) {
                    line.push_str(c);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                } else {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(c);
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

fn size_row(name: &str, d: &Delta) -> Vec<String> {
    vec![
        name.into(),
        human(d.a),
        human(d.b),
        human_signed(d.diff),
        ratio(d),
    ]
}

fn count_row(name: &str, d: &Delta) -> Vec<String> {
    vec![
        name.into(),
        d.a.to_string(),
        d.b.to_string(),
        signed(d.diff),
        ratio(d),
    ]
}

fn layer_table(rows: &[LayerRow], out: &mut dyn Write) -> io::Result<()> {
    let mut t = Table::new(&[
        "#",
        "layer",
        "compressed",
        "size",
        "files",
        "",
        "created by",
    ])
    .left(&[1, 5, 6]);
    for l in rows {
        t.row(vec![
            l.index.to_string(),
            short_id(&l.diff_id).to_string(),
            human(l.compressed),
            human(l.uncompressed),
            l.files.to_string(),
            if l.shared {
                "shared".into()
            } else {
                String::new()
            },
            short_cmd(&l.created_by, 60),
        ]);
    }
    t.write("  ", out)
}

/// Renders the comparison as text tables.
pub fn render(c: &Comparison, gate: Option<&GrowthCheck>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "A (baseline):  {}", c.a)?;
    writeln!(out, "B (candidate): {}", c.b)?;
    if c.identical_content {
        writeln!(
            out,
            "Identical content: same {} layers (diff_ids) in the same order.",
            c.layers.a.len()
        )?;
    }
    writeln!(out)?;
    let t = &c.totals;
    let mut tab = Table::new(&["", "A", "B", "diff", "ratio"]);
    tab.row(size_row("compressed", &t.compressed));
    tab.row(size_row("uncompressed", &t.uncompressed));
    tab.row(size_row("final filesystem", &t.visible));
    tab.row(count_row("layers", &t.layers));
    tab.row(count_row("files", &t.files));
    tab.row(size_row("wasted", &t.wasted));
    tab.row(vec![
        "efficiency".into(),
        percent(t.efficiency.a),
        percent(t.efficiency.b),
        points(t.efficiency.diff),
        String::new(),
    ]);
    tab.write("", out)?;
    writeln!(out, "\nBase image:")?;
    writeln!(out, "  A: {}", super::base::side_line(&c.base.a))?;
    writeln!(out, "  B: {}", super::base::side_line(&c.base.b))?;
    writeln!(out, "  {}", super::base::split_line(c))?;

    let l = &c.layers;
    writeln!(
        out,
        "\nLayers: {} shared ({}), {} common base layer(s)",
        l.shared,
        human(l.shared_bytes),
        l.common_prefix
    )?;
    writeln!(out, " A:")?;
    layer_table(&l.a, out)?;
    writeln!(out, " B:")?;
    layer_table(&l.b, out)?;

    writeln!(
        out,
        "\nSize by directory (depth {}), by absolute difference:",
        c.depth
    )?;
    let mut tab = Table::new(&["directory", "A", "B", "diff", "ratio"]);
    for d in &c.directories {
        tab.row(size_row(&d.path, &d.size));
    }
    tab.write("  ", out)?;

    let o = &c.os_packages;
    let db = |d: Option<crate::image::packages::PackageDb>| {
        d.map_or_else(|| "none".to_string(), |d| d.to_string())
    };
    writeln!(
        out,
        "\nOS packages: A {} ({} packages, {}), B {} ({} packages, {}); {} same, {} only in A, {} only in B, {} different versions",
        db(o.a_db),
        o.count.a,
        human(o.size.a),
        db(o.b_db),
        o.count.b,
        human(o.size.b),
        o.same,
        o.only_a.len(),
        o.only_b.len(),
        o.changed.len()
    )?;
    let rows = package_rows(&o.only_a, &o.only_b, &o.changed);
    if !rows.is_empty() {
        let mut tab = Table::new(&["", "package", "A version", "B version", "A size", "B size"])
            .left(&[1, 2, 3]);
        for r in rows {
            tab.row(r.to_vec());
        }
        tab.write("  ", out)?;
    }
    for n in &o.notes {
        writeln!(out, "  note: {n}")?;
    }

    if c.lang_packages.is_empty() {
        writeln!(out, "\nLanguage packages: none found")?;
    }
    for lp in &c.lang_packages {
        writeln!(
            out,
            "\nLanguage packages ({}): A {} ({}), B {} ({}); {} same",
            lp.ecosystem,
            lp.count.a,
            human(lp.bytes.a),
            lp.count.b,
            human(lp.bytes.b),
            lp.same
        )?;
        let rows = package_rows(&lp.only_a, &lp.only_b, &lp.changed);
        if !rows.is_empty() {
            let mut tab = Table::new(&[
                "",
                "package",
                "A version",
                "B version",
                "A bytes",
                "B bytes",
            ])
            .left(&[1, 2, 3]);
            for r in rows {
                tab.row(r.to_vec());
            }
            tab.write("  ", out)?;
        }
    }

    let f = &c.files;
    writeln!(
        out,
        "\nFiles: {} only in A ({}), {} only in B ({}), {} changed size, {} same size",
        f.only_a_count,
        human(f.only_a_bytes),
        f.only_b_count,
        human(f.only_b_bytes),
        f.changed_count,
        f.same_count
    )?;
    for (title, list) in [
        ("Largest only in A:", &f.only_a),
        ("Largest only in B:", &f.only_b),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, " {title}")?;
        let mut tab = Table::new(&["size", "layer", "path"]).left(&[2]);
        tab.left.retain(|&i| i != 0);
        for r in list {
            tab.row(vec![human(r.size), r.layer.to_string(), r.path.clone()]);
        }
        tab.write("  ", out)?;
    }
    if !f.changed.is_empty() {
        writeln!(out, " Changed the most:")?;
        let mut tab = Table::new(&["A", "B", "diff", "path"]).left(&[3]);
        tab.left.retain(|&i| i != 0);
        for r in &f.changed {
            tab.row(vec![
                human(r.size.a),
                human(r.size.b),
                human_signed(r.size.diff),
                r.path.clone(),
            ]);
        }
        tab.write("  ", out)?;
    }

    writeln!(
        out,
        "\nCaches left: A {}, B {}",
        human(c.caches.bytes.a),
        human(c.caches.bytes.b)
    )?;
    for (side, list) in [("A", &c.caches.a), ("B", &c.caches.b)] {
        for cache in list.iter() {
            let layer = cache
                .layer
                .map_or_else(String::new, |l| format!(" (layer {l})"));
            writeln!(
                out,
                "  {side}  {:>9}  {}{layer}",
                human(cache.bytes),
                cache.path
            )?;
        }
    }
    if let Some(g) = gate {
        writeln!(out, "\n{}", gate_line(g))?;
    }
    Ok(())
}
