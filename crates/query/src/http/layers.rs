//! What wraps every request: a request id (`x-request-id`, made here when the caller sends
//! none, returned on the response and named in every log line of the request), tracing, a
//! bound on requests in flight (more are refused at once with 503, not queued), a time limit
//! on searches, and CORS when configured.

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::BoxError;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use super::error::ApiError;

/// Which other sites' pages may call the API from a browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Cors {
    /// No CORS headers: only pages served by dafu itself (the default).
    #[default]
    Off,
    /// Any origin (`*`).
    Any,
    /// These origins (`https://news.example`).
    Origins(Vec<String>),
}

impl Cors {
    /// From `--cors` values: none is off, `*` is any, otherwise a list of origins.
    pub fn from_origins(origins: &[String]) -> Result<Self, String> {
        if origins.is_empty() {
            return Ok(Cors::Off);
        }
        if origins.iter().any(|o| o == "*") {
            return Ok(Cors::Any);
        }
        for origin in origins {
            if HeaderValue::from_str(origin).is_err() || !origin.contains("://") {
                return Err(format!(
                    "{origin:?} is not an origin (scheme://host[:port], or * for any)"
                ));
            }
        }
        Ok(Cors::Origins(origins.to_vec()))
    }

    /// The CORS layer, or `None` when off.
    pub(super) fn layer(&self) -> Option<CorsLayer> {
        let allow = match self {
            Cors::Off => return None,
            Cors::Any => AllowOrigin::any(),
            Cors::Origins(list) => {
                AllowOrigin::list(list.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
            }
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
                .max_age(Duration::from_secs(3600)),
        )
    }
}

/// The span of one request: its id, method and path.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Request ids and tracing (outermost: the id exists before anything logs).
pub(super) fn observe<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
) -> axum::Router<S> {
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// At most `max_in_flight` requests at once across all routes; one more is answered 503 at
/// once (the caller retries) rather than queued behind work the server cannot finish.
pub(super) fn bound<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    max_in_flight: usize,
) -> axum::Router<S> {
    router.layer(
        tower::ServiceBuilder::new()
            .layer(HandleErrorLayer::new(refused))
            .load_shed()
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                max_in_flight,
            )),
    )
}

/// Answers a request that takes longer than `limit` with 503. The search it started runs on
/// to its end on a blocking thread (it cannot be interrupted), but the caller is not kept
/// waiting.
pub(super) fn time_limit<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    limit: Duration,
) -> axum::Router<S> {
    router.layer(
        tower::ServiceBuilder::new()
            .layer(HandleErrorLayer::new(move |e: BoxError| async move {
                if e.is::<tower::timeout::error::Elapsed>() {
                    ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "timeout",
                        format!(
                            "the request took longer than {} s; narrow the query or try again",
                            limit.as_secs_f64()
                        ),
                    )
                    .into_response()
                } else {
                    refused(e).await
                }
            }))
            .timeout(limit),
    )
}

/// The answer to a request a middleware refused.
async fn refused(e: BoxError) -> Response {
    if e.is::<tower::load_shed::error::Overloaded>() {
        let mut response = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "the server is answering as many requests as it can; try again in a moment",
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    tracing::error!(error = %e, "middleware failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the server failed to answer; the error is logged",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_values() {
        assert_eq!(Cors::from_origins(&[]), Ok(Cors::Off));
        assert_eq!(Cors::from_origins(&["*".into()]), Ok(Cors::Any));
        let list = vec!["https://news.example".to_string()];
        assert_eq!(Cors::from_origins(&list), Ok(Cors::Origins(list.clone())));
        assert!(Cors::from_origins(&["news.example".into()]).is_err());
        assert!(Cors::Off.layer().is_none());
        assert!(Cors::Any.layer().is_some());
    }
}
