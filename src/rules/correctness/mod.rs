//! Rules of the `correctness` family.

use crate::lint::Rule;

/// Every rule of this family.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![]
}
