//! Compact Markdown for a merge-request comment: the totals table up front, details folded.

use super::{
    gate_line, human, human_signed, package_rows, percent, points, ratio, short_cmd, short_id,
    signed,
};
use crate::image::compare::{Comparison, Delta, GrowthCheck};
use std::io::{self, Write};

/// Rows shown in each folded table before "… N more".
const MAX_ROWS: usize = 25;

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", cell(s).replace('`', "&#96;"))
}

fn size_row(out: &mut dyn Write, name: &str, d: &Delta) -> io::Result<()> {
    writeln!(
        out,
        "| {name} | {} | {} | {} | {} |",
        human(d.a),
        human(d.b),
        human_signed(d.diff),
        ratio(d)
    )
}

fn more(out: &mut dyn Write, total: usize) -> io::Result<()> {
    if total > MAX_ROWS {
        writeln!(out, "\n… {} more", total - MAX_ROWS)?;
    }
    Ok(())
}

/// Renders the comparison as Markdown.
pub fn render(c: &Comparison, gate: Option<&GrowthCheck>, out: &mut dyn Write) -> io::Result<()> {
    let status = match gate {
        Some(g) if g.exceeded => " — :x: max-growth exceeded",
        Some(_) => " — :white_check_mark: within max-growth",
        None => "",
    };
    writeln!(
        out,
        "### Image size: {} → {}{status}\n",
        code(&c.a),
        code(&c.b)
    )?;
    if c.identical_content {
        writeln!(
            out,
            "Identical content: the same {} layers in the same order.\n",
            c.layers.a.len()
        )?;
    }
    let t = &c.totals;
    writeln!(out, "| | A | B | diff | ratio |")?;
    writeln!(out, "|---|--:|--:|--:|--:|")?;
    size_row(out, "compressed", &t.compressed)?;
    size_row(out, "uncompressed", &t.uncompressed)?;
    size_row(out, "final filesystem", &t.visible)?;
    writeln!(
        out,
        "| layers | {} | {} | {} | {} |",
        t.layers.a,
        t.layers.b,
        signed(t.layers.diff),
        ratio(&t.layers)
    )?;
    writeln!(
        out,
        "| files | {} | {} | {} | {} |",
        t.files.a,
        t.files.b,
        signed(t.files.diff),
        ratio(&t.files)
    )?;
    size_row(out, "wasted", &t.wasted)?;
    writeln!(
        out,
        "| efficiency | {} | {} | {} | |",
        percent(t.efficiency.a),
        percent(t.efficiency.b),
        points(t.efficiency.diff)
    )?;
    size_row(out, "caches left", &c.caches.bytes)?;
    if let Some(g) = gate {
        writeln!(out, "\n{}", cell(&gate_line(g)))?;
    }
    writeln!(out, "\n**Base image**\n")?;
    writeln!(out, "- A: {}", cell(&super::base::side_line(&c.base.a)))?;
    writeln!(out, "- B: {}", cell(&super::base::side_line(&c.base.b)))?;
    writeln!(out, "- {}", cell(&super::base::split_line(c)))?;

    let l = &c.layers;
    writeln!(
        out,
        "\n<details><summary>Layers: {} shared ({}), A {} own, B {} own</summary>\n",
        l.shared,
        human(l.shared_bytes),
        l.a.iter().filter(|r| !r.shared).count(),
        l.b.iter().filter(|r| !r.shared).count()
    )?;
    writeln!(out, "| image | # | layer | size | created by |")?;
    writeln!(out, "|---|--:|---|--:|---|")?;
    for (side, rows) in [("A", &l.a), ("B", &l.b)] {
        for r in rows.iter() {
            let shared = if r.shared { " (shared)" } else { "" };
            writeln!(
                out,
                "| {side} | {} | {}{shared} | {} | {} |",
                r.index,
                code(short_id(&r.diff_id)),
                human(r.uncompressed),
                code(&short_cmd(&r.created_by, 80))
            )?;
        }
    }
    writeln!(out, "\n</details>")?;

    writeln!(
        out,
        "\n<details><summary>Size by directory (depth {})</summary>\n",
        c.depth
    )?;
    writeln!(out, "| directory | A | B | diff |")?;
    writeln!(out, "|---|--:|--:|--:|")?;
    for d in c.directories.iter().take(MAX_ROWS) {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&d.path),
            human(d.size.a),
            human(d.size.b),
            human_signed(d.size.diff)
        )?;
    }
    more(out, c.directories.len())?;
    writeln!(out, "\n</details>")?;

    let o = &c.os_packages;
    let db = |d: Option<crate::image::packages::PackageDb>| {
        d.map_or_else(|| "none".to_string(), |d| d.to_string())
    };
    let rows = package_rows(&o.only_a, &o.only_b, &o.changed);
    writeln!(
        out,
        "\n<details><summary>OS packages: A {} {}, B {} {}; {} only in A, {} only in B, {} changed</summary>\n",
        db(o.a_db),
        o.count.a,
        db(o.b_db),
        o.count.b,
        o.only_a.len(),
        o.only_b.len(),
        o.changed.len()
    )?;
    package_table(out, &rows, "size")?;
    for n in &o.notes {
        writeln!(out, "\nNote: {}", cell(n))?;
    }
    writeln!(out, "\n</details>")?;

    for lp in &c.lang_packages {
        let rows = package_rows(&lp.only_a, &lp.only_b, &lp.changed);
        writeln!(
            out,
            "\n<details><summary>{} packages: A {} ({}), B {} ({}); {} only in A, {} only in B, {} changed</summary>\n",
            lp.ecosystem,
            lp.count.a,
            human(lp.bytes.a),
            lp.count.b,
            human(lp.bytes.b),
            lp.only_a.len(),
            lp.only_b.len(),
            lp.changed.len()
        )?;
        package_table(out, &rows, "bytes")?;
        writeln!(out, "\n</details>")?;
    }

    let f = &c.files;
    writeln!(
        out,
        "\n<details><summary>Files: {} only in A ({}), {} only in B ({}), {} changed</summary>\n",
        f.only_a_count,
        human(f.only_a_bytes),
        f.only_b_count,
        human(f.only_b_bytes),
        f.changed_count
    )?;
    writeln!(out, "| | path | A | B |")?;
    writeln!(out, "|---|---|--:|--:|")?;
    for r in &f.only_a {
        writeln!(out, "| only A | {} | {} | |", code(&r.path), human(r.size))?;
    }
    for r in &f.only_b {
        writeln!(out, "| only B | {} | | {} |", code(&r.path), human(r.size))?;
    }
    for r in &f.changed {
        writeln!(
            out,
            "| changed | {} | {} | {} |",
            code(&r.path),
            human(r.size.a),
            human(r.size.b)
        )?;
    }
    writeln!(out, "\n</details>")?;

    if !c.caches.a.is_empty() || !c.caches.b.is_empty() {
        writeln!(
            out,
            "\n<details><summary>Caches left: A {}, B {}</summary>\n",
            human(c.caches.bytes.a),
            human(c.caches.bytes.b)
        )?;
        writeln!(out, "| image | cache | bytes |")?;
        writeln!(out, "|---|---|--:|")?;
        for (side, list) in [("A", &c.caches.a), ("B", &c.caches.b)] {
            for cache in list.iter() {
                writeln!(
                    out,
                    "| {side} | {} | {} |",
                    code(&cache.path),
                    human(cache.bytes)
                )?;
            }
        }
        writeln!(out, "\n</details>")?;
    }
    Ok(())
}

fn package_table(out: &mut dyn Write, rows: &[[String; 6]], what: &str) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No differences.");
    }
    writeln!(
        out,
        "| | package | A version | B version | A {what} | B {what} |"
    )?;
    writeln!(out, "|---|---|---|---|--:|--:|")?;
    for r in rows.iter().take(MAX_ROWS) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r[0],
            code(&r[1]),
            cell(&r[2]),
            cell(&r[3]),
            r[4],
            r[5]
        )?;
    }
    more(out, rows.len())
}
