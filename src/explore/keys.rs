//! Keys -> state changes, with dive's bindings where dive has them (see docs/explore.md).

use super::view::{Explorer, Mode, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the loop does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep running (redraw).
    Continue,
    /// Leave the explorer.
    Quit,
}

/// Applies one key to the explorer. `page` is the number of tree rows on screen (PgUp/PgDn).
pub fn handle(e: &mut Explorer, key: KeyEvent, page: usize) -> Flow {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if let Some(text) = &mut e.editing {
        match key.code {
            KeyCode::Enter => {
                let t = std::mem::take(text);
                e.editing = None;
                e.set_filter(&t);
            }
            KeyCode::Esc => e.editing = None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('c') if ctrl => return Flow::Quit,
            KeyCode::Char(c) if !ctrl => text.push(c),
            _ => {}
        }
        return Flow::Continue;
    }
    let page = page.max(1) as isize;
    match key.code {
        KeyCode::Char('q') => return Flow::Quit,
        KeyCode::Char('c') if ctrl => return Flow::Quit,
        KeyCode::Tab | KeyCode::BackTab => {
            e.pane = match e.pane {
                Pane::Layers => Pane::Tree,
                Pane::Tree => Pane::Layers,
            }
        }
        KeyCode::Up | KeyCode::Char('k') if !ctrl => e.move_by(-1),
        KeyCode::Down | KeyCode::Char('j') if !ctrl => e.move_by(1),
        KeyCode::PageUp => e.move_by(-page),
        KeyCode::PageDown => e.move_by(page),
        KeyCode::Char(' ') | KeyCode::Enter if e.pane == Pane::Tree => e.toggle_collapse(),
        KeyCode::Left | KeyCode::Char('h')
            if e.pane == Pane::Tree
                && !ctrl
                && e.rows()
                    .get(e.cursor)
                    .is_some_and(|r| r.is_dir && !r.collapsed) =>
        {
            e.toggle_collapse()
        }
        KeyCode::Right | KeyCode::Char('l')
            if e.pane == Pane::Tree
                && !ctrl
                && e.rows().get(e.cursor).is_some_and(|r| r.collapsed) =>
        {
            e.toggle_collapse()
        }
        KeyCode::Char('a') if ctrl => e.set_mode(Mode::Aggregated),
        KeyCode::Char('l') if ctrl => e.set_mode(Mode::Layer),
        KeyCode::Char('u') if ctrl => {
            e.hide_unchanged = !e.hide_unchanged;
            e.refresh();
        }
        KeyCode::Char('r') if ctrl => {
            e.hide_removed = !e.hide_removed;
            e.refresh();
        }
        KeyCode::Char('o') if ctrl => {
            e.by_size = !e.by_size;
            e.refresh();
        }
        KeyCode::Char('f') if ctrl => e.editing = Some(e.filter.clone()),
        KeyCode::Char('/') => e.editing = Some(e.filter.clone()),
        _ => {}
    }
    Flow::Continue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::view::tests::report;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(e: &mut Explorer, s: &str) {
        for c in s.chars() {
            handle(e, key(KeyCode::Char(c)), 10);
        }
    }

    #[test]
    fn navigate_modes_filter_and_quit() {
        let mut e = Explorer::new(report(), None);
        // layers pane: down twice selects the last layer
        handle(&mut e, key(KeyCode::Down), 10);
        handle(&mut e, key(KeyCode::Char('j')), 10);
        assert_eq!(e.layer, 2);
        handle(&mut e, key(KeyCode::Char('j')), 10);
        assert_eq!(e.layer, 2, "clamped");
        handle(&mut e, ctrl('a'), 10);
        assert_eq!(e.mode, Mode::Aggregated);
        handle(&mut e, ctrl('u'), 10);
        assert!(e.rows().iter().all(|r| r.is_dir || r.change.is_some()));
        handle(&mut e, ctrl('u'), 10);
        // filter: / then text then Enter
        handle(&mut e, key(KeyCode::Char('/')), 10);
        typed(&mut e, "libbig");
        assert_eq!(e.filter, "", "applied on Enter only");
        handle(&mut e, key(KeyCode::Enter), 10);
        assert_eq!(
            e.rows().last().map(|r| r.path.as_str()),
            Some("usr/lib/libbig.so")
        );
        // tree pane: move down to usr/lib and collapse it
        handle(&mut e, key(KeyCode::Tab), 10);
        handle(&mut e, key(KeyCode::Char('j')), 10);
        handle(&mut e, key(KeyCode::Char(' ')), 10);
        assert_eq!(e.rows().len(), 2);
        handle(&mut e, key(KeyCode::Right), 10);
        assert_eq!(e.rows().len(), 3);
        // Esc drops an edit
        handle(&mut e, ctrl('f'), 10);
        typed(&mut e, "zzz");
        handle(&mut e, key(KeyCode::Esc), 10);
        assert_eq!(e.filter, "libbig");
        handle(&mut e, ctrl('l'), 10);
        assert_eq!(e.mode, Mode::Layer);
        assert_eq!(handle(&mut e, key(KeyCode::Char('q')), 10), Flow::Quit);
    }
}
