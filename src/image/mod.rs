//! Image archive readers (docker-archive, OCI layout), layer walker and size/waste model.
