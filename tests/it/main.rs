//! dlint's integration tests, one binary (`cargo test --test it`): one module per area, plus
//! the helpers they share (`parser_common`; `sarif_schema`; `shared`: the shared data directory,
//! a failure when absent unless `DLINT_SKIP_SHARED=1`). Image archives are built with
//! `dlint::image::testkit` (the library's `testkit` feature, on for tests).
//! One binary instead of ~30 links the library and its dependencies once.
mod base_compare;
mod base_facts;
mod cli_skeleton;
mod compare_cli;
mod compare_pair;
mod compare_report;
mod compose_cli;
mod discover_cli;
mod docker_plugin;
mod docs_pages;
mod explore_pty;
mod fix_corpus;
mod fix_proptest;
mod fixtures;
mod fmt;
mod hook_git;
mod hook_precommit_yaml;
mod hostile_dockerfile;
mod image_bad_input;
mod image_cache;
mod image_cli;
mod image_family;
mod image_model;
mod image_real_tools;
mod image_registry;
mod image_views;
mod lint_cli;
mod lint_corpus;
mod lint_fix;
mod lint_ignores;
mod lsp_conversation;
mod optimize;
mod optimize_ecosystem;
mod optimize_suggest;
mod parity_tally;
mod parser_cli;
mod parser_common;
mod parser_conformance;
mod parser_corpus;
mod parser_differential;
mod parser_expand;
mod parser_heredoc;
mod parser_proptest;
mod parser_unit;
mod report_cli;
mod report_corpus;
mod report_docs_cli;
mod report_formats;
mod rule_pages;
mod sarif_schema;
mod shared;
mod shell_parse_differential;
mod shell_rules_corpus;
