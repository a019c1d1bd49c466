//! Errors of the image reader and analyzer.

use std::path::PathBuf;

/// Everything that can go wrong while opening or analysing an image. Every variant names the
/// archive, and those about a layer name the layer (index and digest) too.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The archive (or a file inside an OCI layout directory) could not be read.
    #[error("{archive}: {context}: {source}")]
    Io {
        /// The archive or layout given by the user.
        archive: PathBuf,
        /// What was being read.
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// The archive is not a docker-archive or an OCI layout, or its metadata is malformed.
    #[error("{archive}: {message}")]
    Format {
        /// The archive or layout given by the user.
        archive: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A layer could not be decoded or violates the layer format.
    #[error("{archive}: layer {index} ({digest}): {message}")]
    Layer {
        /// The archive or layout given by the user.
        archive: PathBuf,
        /// 0-based index of the layer in the image.
        index: usize,
        /// Digest or path of the layer blob.
        digest: String,
        /// What is wrong.
        message: String,
    },
    /// `--image` or `--platform` matched nothing (the message lists what is there).
    #[error("{archive}: {message}")]
    Selection {
        /// The archive or layout given by the user.
        archive: PathBuf,
        /// What was asked for and what is available.
        message: String,
    },
}

impl ImageError {
    pub(crate) fn format(archive: &std::path::Path, message: impl Into<String>) -> Self {
        ImageError::Format {
            archive: archive.to_path_buf(),
            message: message.into(),
        }
    }

    pub(crate) fn io(
        archive: &std::path::Path,
        context: impl Into<String>,
        source: std::io::Error,
    ) -> Self {
        ImageError::Io {
            archive: archive.to_path_buf(),
            context: context.into(),
            source,
        }
    }
}

impl From<ImageError> for crate::Error {
    fn from(e: ImageError) -> Self {
        crate::Error::Other(e.to_string())
    }
}
