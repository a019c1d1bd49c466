//! `dlint explore`: the view model of the interactive image explorer (dive's two panes: layers
//! and the file tree as of the selected layer), the key handler that changes it, and its
//! rendering with `ratatui`. The terminal loop lives in `src/cli/explore.rs`; everything here
//! runs on any backend, so tests drive it with keys and ratatui's `TestBackend`.

mod keys;
mod render;
mod view;

pub use keys::{Flow, handle};
pub use render::draw;
pub use view::{Explorer, Mode, Pane, Row};
