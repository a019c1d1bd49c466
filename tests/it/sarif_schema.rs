//! The official SARIF 2.1.0 schema (testdata copy of ../shared/schemas), compiled for tests.

/// A validator for SARIF 2.1.0 documents, with format checks on.
pub fn validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../testdata/report/sarif-schema-2.1.0.json"
    ))
    .expect("schema");
    // The official schema's `language` patterns have a stray `]` that ECMA-262 (unicode mode)
    // rejects, so the validator refuses to compile them; dlint never writes `language`, so the
    // patterns are replaced by their evident intent before compiling.
    let fixed = fix_language_patterns(&mut schema);
    assert!(
        fixed >= 2,
        "expected the schema's known language patterns, fixed {fixed}"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile schema")
}

fn fix_language_patterns(v: &mut serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            for (k, child) in map.iter_mut() {
                if k == "pattern" && child == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *child = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    n += 1;
                } else {
                    n += fix_language_patterns(child);
                }
            }
            n
        }
        serde_json::Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}
