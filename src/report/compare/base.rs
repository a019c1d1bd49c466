//! The base-image lines every compare format shows: each side's base and the split of the
//! difference into the base's part and the images' own layers.

use super::{human, human_signed};
use crate::image::compare::Comparison;
use crate::image::compare::base::BaseSide;

/// `debian:bookworm-slim: 1 layer, 78.6 MB (28.2 MB compressed), own layers 12.3 MB (found by
/// …)`, or `unknown (why)`.
pub(super) fn side_line(s: &BaseSide) -> String {
    let f = &s.found;
    let name = f.name.as_deref().unwrap_or("unknown");
    let digest = f
        .digest
        .as_deref()
        .map(|d| format!("@{}", d.get(..19).unwrap_or(d)))
        .unwrap_or_default();
    let mut line = format!("{name}{digest}");
    if let (Some(n), Some(u), Some(c)) = (f.layers, s.uncompressed, s.compressed) {
        let plural = if n == 1 { "" } else { "s" };
        line.push_str(&format!(
            ": {n} layer{plural}, {} ({} compressed)",
            human(u),
            human(c)
        ));
        if let Some(own) = s.own {
            line.push_str(&format!(", own layers {}", human(own)));
        }
    } else if f.name.is_some() {
        line.push_str(": its layers in this image are unknown");
    }
    if !f.found_by.is_empty() {
        line.push_str(&format!(" (from {})", f.found_by.join(", ")));
    }
    if let Some(n) = &f.note {
        line.push_str(&format!("; {n}"));
    }
    line
}

/// `B − A = +12.0 MB: base -67.0 MB, own layers +79.0 MB`, or why it is not split.
pub(super) fn split_line(c: &Comparison) -> String {
    let b = &c.base;
    let total = human_signed(c.totals.uncompressed.diff);
    match (b.diff_base, b.diff_own) {
        (Some(base), Some(own)) => {
            let same = if b.same { " (the same base)" } else { "" };
            format!(
                "B − A = {total}: base {}{same}, own layers {}",
                human_signed(base),
                human_signed(own)
            )
        }
        _ => format!("B − A = {total}: not split, the base of a side is unknown"),
    }
}
