//! What a Dockerfile says of the base image of an image built from it (for `dlint compare
//! --dockerfile`): the `FROM` of the built stage's first stage, and where the image's own
//! layers begin once its history is matched to the instructions.

use super::attribute;
use crate::dockerfile::Dockerfile;
use crate::image::Image;
use crate::image::compare::DockerfileHint;
use crate::lint::SemanticModel;

/// The base `img` was built on according to `df` (stage `target`, default the last); an
/// error when no such stage exists.
pub fn base_hint(
    df: &Dockerfile,
    target: Option<&str>,
    img: &Image,
) -> Result<DockerfileHint, String> {
    let stage = attribute::built_stage(df, target)?;
    let model = SemanticModel::new(df);
    let root = model.stage_chain(stage).last().copied().unwrap_or(stage);
    let from = df
        .stages
        .get(root)
        .and_then(|st| model.resolve(st.from, &st.base.raw))
        .and_then(Result::ok)
        .filter(|r| !r.is_empty());
    let a = attribute::attribute(df, stage, &img.history, img.layers.len());
    Ok(DockerfileHint {
        from,
        base_layers: a.is_matched().then_some(a.first_own_layer),
        mismatch: a.mismatch,
    })
}
