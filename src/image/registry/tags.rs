//! `GET /v2/NAME/tags/list`: the tags of a repository, page after page as the `Link` header
//! says (`<…?n=…&last=…>; rel="next"`), bounded.

use super::client::Client;
use super::reference::Reference;
use super::{MAX_JSON, RegistryOptions};
use serde::Deserialize;

/// Pages followed at most (a repository with more tags is listed in part).
const MAX_PAGES: usize = 50;

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// The path after `/v2/NAME/` of a `Link: <URL>; rel="next"` header.
fn next_page(link: &str, repository: &str) -> Option<String> {
    let part = link.split(',').find(|p| p.contains("rel=\"next\""))?;
    let url = part.split('<').nth(1)?.split('>').next()?;
    let path = match url.find("/v2/") {
        Some(i) => &url[i..],
        None => return None,
    };
    path.strip_prefix(&format!("/v2/{repository}/"))
        .map(str::to_string)
}

/// Every tag of `r`'s repository, in the registry's order.
pub fn list_tags(r: &Reference, opts: &RegistryOptions) -> Result<Vec<String>, String> {
    let creds = opts.creds.as_ref().map(|c| c.expose().to_string());
    let client = Client::new(r, &opts.insecure, creds, opts.fail_fast.clone());
    let mut out = Vec::new();
    let mut path = "tags/list?n=1000".to_string();
    for _ in 0..MAX_PAGES {
        let mut resp = client
            .get(&path, "tag list", Some("application/json"), 0)
            .map_err(|f| f.message)?;
        let next = resp
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(|l| next_page(l, &r.repository));
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_JSON)
            .read_to_vec()
            .map_err(|e| format!("{}: tag list: {e}", client.describe()))?;
        let page: Page = serde_json::from_slice(&body)
            .map_err(|e| format!("{}: tag list is not valid: {e}", client.describe()))?;
        out.extend(page.tags.unwrap_or_default());
        match next {
            Some(p) => path = p,
            None => break,
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header() {
        assert_eq!(
            next_page(
                "</v2/library/python/tags/list?n=2&last=3.12>; rel=\"next\"",
                "library/python"
            )
            .as_deref(),
            Some("tags/list?n=2&last=3.12")
        );
        assert_eq!(
            next_page(
                "<https://r.example/v2/a/b/tags/list?last=x>; rel=\"next\"",
                "a/b"
            )
            .as_deref(),
            Some("tags/list?last=x")
        );
        assert_eq!(next_page("</v2/other/tags/list>; rel=\"next\"", "a"), None);
        assert_eq!(next_page("</v2/a/tags/list>; rel=\"prev\"", "a"), None);
    }
}
