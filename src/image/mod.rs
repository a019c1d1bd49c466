//! Image archive readers (docker-archive, OCI layout), layer walker and size/waste model.

pub mod compare;
pub mod packages;
