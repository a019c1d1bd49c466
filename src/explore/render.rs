//! Draws the explorer with `ratatui`: layers, layer details and image details on the left,
//! the file tree on the right, the keys (or the filter being typed) at the bottom.

use super::view::{Explorer, Mode, Pane};
use crate::image::Change;
use crate::units::human;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn title(text: &str, focused: bool) -> Block<'_> {
    let style = if focused {
        Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    Block::bordered().title(Span::styled(text, style))
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{t}…")
    }
}

/// Draws one frame of `e`.
pub fn draw(f: &mut Frame, e: &Explorer) {
    let [main, status] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(f.area());
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(main);
    let layer_rows = (e.report.layers.len() as u16 + 2)
        .min(left.height / 2)
        .max(3);
    let [layers, details, image] = Layout::vertical([
        Constraint::Length(layer_rows),
        Constraint::Min(5),
        Constraint::Min(6),
    ])
    .areas(left);
    draw_layers(f, e, layers);
    draw_details(f, e, details);
    draw_image(f, e, image);
    draw_tree(f, e, right);
    draw_status(f, e, status);
}

fn draw_layers(f: &mut Frame, e: &Explorer, area: Rect) {
    let inner = area.height.saturating_sub(2) as usize;
    let skip = e.layer.saturating_sub(inner.saturating_sub(1));
    let width = area.width.saturating_sub(22) as usize;
    let lines: Vec<Line> = e
        .report
        .layers
        .iter()
        .skip(skip)
        .take(inner)
        .map(|l| {
            let cmd = match l.line {
                Some(n) => format!("line {n}: {}", l.created_by.as_deref().unwrap_or("-")),
                None => l.created_by.clone().unwrap_or_else(|| "-".into()),
            };
            let text = format!(
                "{:>3} {:>10}  {}",
                l.index,
                human(l.uncompressed_size),
                cut(&cmd, width)
            );
            if l.index == e.layer {
                Line::styled(text, Style::new().add_modifier(Modifier::REVERSED))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(title("Layers", e.pane == Pane::Layers)),
        area,
    );
}

fn draw_details(f: &mut Frame, e: &Explorer, area: Rect) {
    let mut lines = Vec::new();
    if let Some(l) = e.report.layers.get(e.layer) {
        let short = l.digest.strip_prefix("sha256:").unwrap_or(&l.digest);
        lines.push(Line::raw(format!("Digest: {}", cut(short, 24))));
        if let Some(n) = l.line {
            lines.push(Line::raw(format!("Dockerfile line: {n}")));
        }
        lines.push(Line::raw(format!(
            "Added {}  overwrote {}  removed {}",
            human(l.bytes_added),
            human(l.bytes_overwritten),
            human(l.bytes_removed)
        )));
        lines.push(Line::raw(format!(
            "Command: {}",
            l.created_by.as_deref().unwrap_or("-")
        )));
        if e.pane == Pane::Tree
            && let Some(row) = e.rows().get(e.cursor)
        {
            let mode = e
                .cursor_mode()
                .map(|m| format!("  mode {}", crate::image::mode_octal(m)))
                .unwrap_or_default();
            lines.push(Line::raw(format!(
                "Path: /{}  {}{mode}",
                row.path,
                human(row.size)
            )));
        }
        if let Some(fs) = &e.findings {
            for x in fs.findings.iter().filter(|x| x.layer == Some(l.index)) {
                lines.push(Line::styled(
                    format!(
                        "{} {}: {}",
                        x.bytes.map(human).unwrap_or_else(|| "?".into()),
                        x.rule,
                        x.what
                    ),
                    Style::new().fg(Color::Yellow),
                ));
            }
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(title("Layer Details", false)),
        area,
    );
}

fn draw_image(f: &mut Frame, e: &Explorer, area: Rect) {
    let t = &e.report.totals;
    if let Some(n) = e.reading {
        let done = e.report.layers.len();
        let lines = vec![
            Line::raw(format!(
                "Image: {}",
                e.report.reference.as_deref().unwrap_or(&e.report.archive)
            )),
            Line::styled(
                format!("reading layer {}/{n}…", (done + 1).min(n)),
                Style::new().fg(Color::Yellow),
            ),
            Line::raw("size, efficiency, wasted copies and caches follow"),
        ];
        f.render_widget(
            Paragraph::new(lines).block(title("Image Details", false)),
            area,
        );
        return;
    }
    let mut lines = vec![
        Line::raw(format!(
            "Image: {}",
            e.report.reference.as_deref().unwrap_or(&e.report.archive)
        )),
        Line::raw(format!(
            "Total size: {}  efficiency {:.2}%  wasted {}",
            human(t.uncompressed_size),
            t.efficiency * 100.0,
            human(t.wasted_bytes)
        )),
        Line::styled(
            format!("{:>10}  {}", "wasted", "path"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
    ];
    for w in &e.report.wasted {
        lines.push(Line::raw(format!("{:>10}  /{}", human(w.size), w.path)));
    }
    for c in &e.report.caches {
        lines.push(Line::styled(
            format!("{:>10}  /{} ({} cache)", human(c.bytes), c.path, c.tool),
            Style::new().fg(Color::Yellow),
        ));
    }
    f.render_widget(
        Paragraph::new(lines).block(title("Image Details", false)),
        area,
    );
}

fn draw_tree(f: &mut Frame, e: &Explorer, area: Rect) {
    let name = match e.mode {
        Mode::Layer => "Current Layer Contents",
        Mode::Aggregated => "Aggregated Contents",
    };
    let mut head = name.to_string();
    if !e.filter.is_empty() {
        head.push_str(&format!(" [filter: {}]", e.filter));
    }
    if e.hide_unchanged {
        head.push_str(" [changed only]");
    }
    let height = area.height.saturating_sub(2) as usize;
    let skip = e.cursor.saturating_sub(height.saturating_sub(1));
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = e
        .rows()
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .map(|(i, r)| {
            let (mark, color) = match r.change {
                Some(Change::Added) => ("+", Color::Green),
                Some(Change::Modified) => ("~", Color::Yellow),
                Some(Change::Removed) => ("-", Color::Red),
                None => (" ", Color::Reset),
            };
            let fold = match (r.is_dir, r.collapsed) {
                (true, true) => "▸ ",
                (true, false) => "▾ ",
                _ => "  ",
            };
            let left = format!("{mark} {}{fold}{}", "  ".repeat(r.depth.min(40)), r.name);
            let size = human(r.size);
            let pad = width.saturating_sub(left.chars().count() + size.len() + 1);
            let text = format!(
                "{}{} {size}",
                cut(&left, width.saturating_sub(size.len() + 1)),
                " ".repeat(pad)
            );
            let mut style = Style::new().fg(color);
            if i == e.cursor && e.pane == Pane::Tree {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::styled(text, style)
        })
        .collect();
    let body = if lines.is_empty() {
        vec![Line::raw("(nothing to show)")]
    } else {
        lines
    };
    f.render_widget(
        Paragraph::new(body).block(title(&head, e.pane == Pane::Tree)),
        area,
    );
}

fn draw_status(f: &mut Frame, e: &Explorer, area: Rect) {
    let line = if let Some(t) = &e.editing {
        Line::raw(format!(
            "Filter (path regex, >SIZE): {t}▏  Enter apply · Esc cancel"
        ))
    } else if let Some(err) = &e.error {
        Line::styled(
            format!("filter rejected: {err}"),
            Style::new().fg(Color::Red),
        )
    } else {
        Line::raw(
            "q Quit · Tab Switch · ↑↓/jk Move · Space Collapse · ^L Layer · ^A Aggregated · ^U Unchanged · ^R Removed · ^O Sort · / Filter",
        )
    };
    f.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::view::tests::report;
    use crate::explore::{Flow, handle};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn screen(e: &Explorer) -> String {
        let mut t = Terminal::new(TestBackend::new(110, 24)).unwrap();
        t.draw(|f| draw(f, e)).unwrap();
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    #[test]
    fn first_screen() {
        let e = Explorer::new(report(), None);
        let s = screen(&e);
        assert!(s.contains("│  ▾ usr"), "{s}");
        assert!(s.contains("│+       libbig.so"), "{s}");
        insta::assert_snapshot!("explore_first_screen", s);
    }

    #[test]
    fn reading_screen_shows_progress() {
        let d = tempfile::tempdir().unwrap();
        let img = crate::explore::view::tests::image(d.path());
        let (layers, _) = crate::explore::view::tests::streamed(&img);
        let mut e = Explorer::reading(&img);
        assert!(screen(&e).contains("reading layer 1/3"));
        for l in layers.into_iter().take(2) {
            e.push_layer(l);
        }
        let s = screen(&e);
        assert!(s.contains("reading layer 3/3"), "{s}");
        assert!(s.contains("│+       libbig.so"), "{s}");
        assert!(!s.contains("Total size"), "no figures before the end: {s}");
    }

    /// With the tree focused, the details show the path under the cursor and its mode.
    #[test]
    fn tree_cursor_shows_mode() {
        let mut e = Explorer::new(report(), None);
        e.select_layer(2);
        assert_eq!(
            handle(&mut e, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE), 10),
            Flow::Continue
        );
        let main = e.rows().iter().position(|r| r.path == "app/main");
        e.cursor = main.expect("app/main is listed");
        assert_eq!(e.cursor_mode(), Some(0o4755));
        let s = screen(&e);
        assert!(s.contains("Path: /app/main  9.0 kB  mode 4755"), "{s}");
        let x = e.rows().iter().position(|r| r.path == "app/lib/x.so");
        e.cursor = x.expect("app/lib/x.so is listed");
        assert!(screen(&e).contains("Path: /app/lib/x.so  4.0 kB  mode 0644"));
    }

    #[test]
    fn aggregated_filtered_screen() {
        let mut e = Explorer::new(report(), None);
        for k in [
            KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
            KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        ] {
            assert_eq!(handle(&mut e, k, 10), Flow::Continue);
        }
        let s = screen(&e);
        assert!(s.contains("Aggregated Contents [filter: etc]"), "{s}");
        assert!(s.contains("~     config"), "{s}");
        insta::assert_snapshot!("explore_aggregated_filtered", s);
    }
}
