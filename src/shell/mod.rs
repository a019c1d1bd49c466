//! Analysis of RUN bodies: commands, `&&` chains and package-manager invocations.
