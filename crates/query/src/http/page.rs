//! The search page: one HTML shell for every page address (`/`, `/commitments`,
//! `/reply/{id}`), whose scripts read the address and draw the page from the JSON API, and the
//! stylesheet and scripts it loads, compiled into the binary (`web/`).
//!
//! The page makes no request to any other host: no web fonts (it names the system's CJK fonts),
//! no CDN, no analytics. Assets are served with an `ETag` (the CRC-32 of their bytes) and
//! `Cache-Control: no-cache`, so a browser revalidates them cheaply and never runs a stale
//! script after an upgrade.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{ApiError, AppState};

/// The HTML shell of every page.
static SHELL: &str = include_str!("web/index.html");

/// The files under `/assets/`: name and bytes (the content type follows the extension).
static ASSETS: &[(&str, &str)] = &[
    ("app.css", include_str!("web/app.css")),
    ("app.js", include_str!("web/app.js")),
    ("api.js", include_str!("web/api.js")),
    ("state.js", include_str!("web/state.js")),
    ("labels.js", include_str!("web/labels.js")),
    ("facets.js", include_str!("web/facets.js")),
    ("results.js", include_str!("web/results.js")),
    ("reply.js", include_str!("web/reply.js")),
    ("citation.js", include_str!("web/citation.js")),
    ("favicon.svg", include_str!("web/favicon.svg")),
];

/// The content type of an asset, by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The page's routes, merged into the application's router.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(shell))
        .route("/commitments", get(shell))
        .route("/reply/{id}", get(shell))
        .route("/assets/{name}", get(asset))
}

/// `"…"`: the entity tag of some bytes.
fn etag(bytes: &[u8]) -> String {
    format!("\"{:08x}\"", crc32fast::hash(bytes))
}

/// Answers with `body`, or with 304 when the client already holds these bytes.
fn cached(headers: &HeaderMap, content_type: &'static str, body: &'static str) -> Response {
    let tag = etag(body.as_bytes());
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let tag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"0\""));
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::ETAG, tag),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    ];
    if fresh {
        (StatusCode::NOT_MODIFIED, common).into_response()
    } else {
        (
            common,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
        )
            .into_response()
    }
}

async fn shell(headers: HeaderMap) -> Response {
    cached(&headers, "text/html; charset=utf-8", SHELL)
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, body) = ASSETS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| ApiError::not_found(format!("no asset {name:?}")))?;
    Ok(cached(&headers, content_type(&name), body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every asset the shell and the scripts load is served, and nothing they load is
    /// fetched from another host.
    #[test]
    fn every_referenced_asset_is_embedded_and_local() {
        let sources = std::iter::once(SHELL).chain(ASSETS.iter().map(|(_, b)| *b));
        for source in sources {
            for (i, _) in source.match_indices("/assets/") {
                let name: String = source[i + "/assets/".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                assert!(
                    ASSETS.iter().any(|(n, _)| *n == name),
                    "/assets/{name} is referenced but not embedded"
                );
            }
            // A module's imports (`from './labels.js'`) resolve beside it, under /assets/.
            for (i, _) in source.match_indices("from './") {
                let name: String = source[i + "from './".len()..]
                    .chars()
                    .take_while(|c| *c != '\'')
                    .collect();
                assert!(
                    ASSETS.iter().any(|(n, _)| *n == name),
                    "./{name} is imported but not embedded"
                );
            }
            for scheme in ["http://", "https://", "//fonts.", "//cdn"] {
                assert!(
                    !source.contains(&format!("src=\"{scheme}"))
                        && !source.contains(&format!("href=\"{scheme}"))
                        && !source.contains(&format!("url({scheme}"))
                        && !source.contains(&format!("from '{scheme}")),
                    "an asset loads from another host ({scheme})"
                );
            }
        }
    }

    #[test]
    fn every_asset_has_its_content_type() {
        for (name, _) in ASSETS {
            assert_ne!(content_type(name), "application/octet-stream", "{name}");
        }
    }

    #[test]
    fn etags_differ_with_content() {
        assert_ne!(etag(b"a"), etag(b"b"));
        assert_eq!(etag(b"a"), etag(b"a"));
    }
}
