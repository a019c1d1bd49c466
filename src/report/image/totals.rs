//! The image totals as rows of label and value: the one list the text tables and the HTML page
//! both print, so the two always show the same figures under the same names.

use crate::image::Totals;
use crate::units::human;

/// One totals row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TotalRow {
    /// What the figure is (`"wasted bytes"`).
    pub label: &'static str,
    /// The figure, formatted (`"1.2 kB (3.40%)"`).
    pub value: String,
    /// True when the figure deserves attention (bytes wasted).
    pub warn: bool,
}

/// The rows of the totals `t`, in display order.
pub(crate) fn total_rows(t: &Totals) -> Vec<TotalRow> {
    let row = |label, value| TotalRow {
        label,
        value,
        warn: false,
    };
    vec![
        row("compressed size", human(t.compressed_size)),
        row("uncompressed size", human(t.uncompressed_size)),
        row("file bytes stored", human(t.stored_bytes)),
        row("visible bytes", human(t.visible_bytes)),
        TotalRow {
            label: "wasted bytes",
            value: format!("{} ({:.2}%)", human(t.wasted_bytes), t.wasted_percent),
            warn: t.wasted_bytes > 0,
        },
        row("efficiency", format!("{:.2}%", t.efficiency * 100.0)),
        row("files (final)", t.files.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasted_row_warns_only_when_bytes_are_wasted() {
        let mut t = Totals {
            stored_bytes: 2_000,
            visible_bytes: 2_000,
            ..Totals::default()
        };
        let warned = |t: &Totals| {
            total_rows(t)
                .into_iter()
                .filter(|x| x.warn)
                .map(|x| x.label)
                .collect::<Vec<_>>()
        };
        assert!(warned(&t).is_empty());
        t.wasted_bytes = 500;
        t.wasted_percent = 20.0;
        assert_eq!(warned(&t), vec!["wasted bytes"]);
        let rows = total_rows(&t);
        let wasted = rows.iter().find(|x| x.label == "wasted bytes");
        assert_eq!(wasted.map(|x| x.value.as_str()), Some("500 B (20.00%)"));
    }
}
