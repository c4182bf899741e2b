//! `GET /api/openapi.json`: the OpenAPI 3 document is generated from the code, and this test
//! fails when the API drifts from it: every documented operation is called, and each real
//! response must match its documented schema field by field (an undocumented field, a missing
//! required one or a wrong type fails).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};

use crate::support::{fixture_engine, get};

/// Resolves `{"$ref": "#/components/schemas/X"}` against the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => match r.strip_prefix("#/components/schemas/") {
            Some(name) => resolve(doc, &doc["components"]["schemas"][name]),
            None => &Value::Null,
        },
        None => schema,
    }
}

/// The properties and required names of an object schema, through `allOf` (serde's flatten).
fn object_parts(
    doc: &Value,
    schema: &Value,
    props: &mut serde_json::Map<String, Value>,
    required: &mut BTreeSet<String>,
) {
    let schema = resolve(doc, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        object_parts(doc, part, props, required);
    }
    if let Some(p) = schema["properties"].as_object() {
        props.extend(p.clone());
    }
    for r in schema["required"].as_array().into_iter().flatten() {
        if let Some(r) = r.as_str() {
            required.insert(r.to_string());
        }
    }
}

fn type_matches(t: &str, value: &Value) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// Checks `value` against `schema`, pushing one line per difference.
fn conforms(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|o| {
                let mut e = Vec::new();
                conforms(doc, o, value, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: {value} fits none of the {key} schemas"));
            }
            return;
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        errors.push(format!("{at}: {value} is not {types:?}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match value {
        Value::Object(map) => {
            let (mut props, mut required) = (serde_json::Map::new(), BTreeSet::new());
            object_parts(doc, schema, &mut props, &mut required);
            let extra = &schema["additionalProperties"];
            for (key, v) in map {
                match props.get(key) {
                    Some(s) => conforms(doc, s, v, &format!("{at}.{key}"), errors),
                    None if extra.is_object() => {
                        conforms(doc, extra, v, &format!("{at}.{key}"), errors)
                    }
                    None if props.is_empty() && !schema["allOf"].is_array() => {}
                    None => errors.push(format!("{at}.{key}: field not in the OpenAPI document")),
                }
            }
            for r in required {
                if !map.contains_key(&r) {
                    errors.push(format!("{at}.{r}: required by the document, missing"));
                }
            }
        }
        Value::Array(items) if schema["items"].is_object() => {
            for (i, v) in items.iter().enumerate() {
                conforms(doc, &schema["items"], v, &format!("{at}[{i}]"), errors);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_operation_answers_as_documented() {
    let (_dir, engine) = fixture_engine();
    let (status, doc) = get(&engine, "/api/openapi.json", &[]).await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );

    let post = |path: &str, body: Value| {
        Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("request")
    };
    let get_req = |uri: &str| Request::get(uri).body(Body::empty()).expect("request");
    // Writes go to a server started with an admin token (the others answer alike).
    let token = "openapi-test-token";
    let app = dafu_query::http::router_with(
        engine.clone(),
        dafu_query::http::ServerOptions {
            writes: Some((
                dafu_query::http::AdminToken::new(token).expect("token"),
                std::sync::Arc::new(
                    dafu_index::ingest::LiveWriter::new(engine.index().clone()).expect("writer"),
                ),
            )),
            ..Default::default()
        },
    );
    let write = |request: axum::http::request::Builder, body: String, with_token: bool| {
        let request = if with_token {
            request.header("authorization", format!("Bearer {token}"))
        } else {
            request
        };
        request.body(Body::from(body)).expect("request")
    };
    let reply = json!({"id": "oa-1", "text": "关于推进海绵城市建设的建议的答复\n杭州市住房和城乡建设局\n2021年7月1日"}).to_string();
    // (method, documented path, request, expected status)
    let calls = [
        (
            "post",
            "/api/replies",
            write(Request::post("/api/replies"), reply.clone(), true),
            200,
        ),
        (
            "post",
            "/api/replies",
            write(Request::post("/api/replies"), reply, false),
            401,
        ),
        (
            "post",
            "/api/replies",
            write(Request::post("/api/replies"), "{\"id\": 1}".into(), true),
            400,
        ),
        (
            "delete",
            "/api/replies/{id}",
            write(Request::delete("/api/replies/oa-1"), String::new(), true),
            200,
        ),
        (
            "delete",
            "/api/replies/{id}",
            write(Request::delete("/api/replies/oa-1"), String::new(), true),
            404,
        ),
        (
            "get",
            "/api/search",
            get_req("/api/search?q=%E5%BB%BA%E8%AE%AE&limit=3"),
            200,
        ),
        ("get", "/api/search", get_req("/api/search?year=20x0"), 400),
        (
            "post",
            "/api/search",
            post("/api/search", json!({"q": "", "region": ["广东省"]})),
            200,
        ),
        (
            "post",
            "/api/search",
            post("/api/search", json!({"limit": "many"})),
            400,
        ),
        (
            "get",
            "/api/commitments",
            get_req("/api/commitments?limit=5"),
            200,
        ),
        (
            "get",
            "/api/commitments",
            get_req("/api/commitments?strength=strong"),
            400,
        ),
        (
            "post",
            "/api/commitments",
            post("/api/commitments", json!({"has_quantity": true})),
            200,
        ),
        (
            "post",
            "/api/commitments",
            post("/api/commitments", json!({"has_commitments": true})),
            400,
        ),
        (
            "get",
            "/api/replies/{id}",
            get_req("/api/replies/fx-hangzhou-edu"),
            200,
        ),
        (
            "get",
            "/api/replies/{id}",
            get_req("/api/replies/fx-hangzhou-edu?q=%E8%AF%BE%E5%90%8E%E6%9C%8D%E5%8A%A1"),
            200,
        ),
        (
            "get",
            "/api/replies/{id}",
            get_req("/api/replies/fx-hangzhou-edu?q=%22open"),
            400,
        ),
        (
            "get",
            "/api/replies/{id}",
            get_req("/api/replies/no-such-reply"),
            404,
        ),
        ("get", "/api/topics", get_req("/api/topics"), 200),
        (
            "get",
            "/api/export/commitments",
            get_req("/api/export/commitments?strength=strong"),
            400,
        ),
        ("get", "/api/health", get_req("/api/health"), 200),
        (
            "get",
            "/api/stats",
            get_req("/api/stats?group_by=year,province"),
            200,
        ),
        (
            "get",
            "/api/stats",
            get_req("/api/stats?group_by=planet"),
            400,
        ),
        (
            "post",
            "/api/stats",
            post("/api/stats", json!({"group_by": ["topic"]})),
            200,
        ),
        (
            "get",
            "/api/export",
            get_req("/api/export?format=teletype"),
            400,
        ),
    ];
    let mut called = BTreeSet::new();
    let mut errors = Vec::new();
    for (method, path, request, expected) in calls {
        let (status, _, body) = crate::support::call_router(&app, request).await;
        assert_eq!(status.as_u16(), expected, "{method} {path}: {body}");
        called.insert((method.to_string(), path.to_string()));
        let op = &doc["paths"][path][method];
        assert!(
            op.is_object(),
            "{method} {path} is not in the OpenAPI document"
        );
        let schema =
            &op["responses"][expected.to_string()]["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {path}: status {expected} is not documented"
        );
        conforms(
            &doc,
            schema,
            &body,
            &format!("{method} {path} {expected}"),
            &mut errors,
        );
    }
    // The exports stream CSV or NDJSON, as documented.
    for path in ["/api/export", "/api/export/commitments"] {
        for (format, content_type) in [("csv", "text/csv"), ("ndjson", "application/x-ndjson")] {
            let response = crate::support::router_response(
                &engine,
                get_req(&format!("{path}?format={format}")),
            )
            .await;
            assert_eq!(response.0, 200);
            assert!(
                response.1.starts_with(content_type),
                "{path} {format}: {}",
                response.1
            );
            let documented = &doc["paths"][path]["get"]["responses"]["200"]["content"];
            assert!(
                documented[content_type].is_object(),
                "{path}: {content_type} not documented"
            );
        }
    }
    // Every documented operation was called: none was added without being tested here.
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(m, _)| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
                .map(move |(m, _)| (m.clone(), path.clone()))
        })
        .collect();
    assert_eq!(
        documented, called,
        "documented operations differ from the ones exercised"
    );
    assert!(
        errors.is_empty(),
        "responses drift from the OpenAPI document:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_document_lists_every_search_parameter() {
    let doc = serde_json::to_value(dafu_query::http::openapi()).expect("document");
    let params: BTreeSet<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for name in [
        "q",
        "region",
        "year",
        "topic",
        "department",
        "assembly",
        "level",
        "sort",
        "limit",
        "offset",
    ] {
        assert!(params.contains(name), "{name} missing from {params:?}");
    }
    // The POST body documents the same parameters as the query string.
    let body = &doc["components"]["schemas"]["SearchParams"]["properties"];
    for name in &params {
        assert!(
            body.get(*name).is_some(),
            "{name} is a GET parameter but not in the POST body"
        );
    }
}

#[tokio::test]
async fn the_drift_check_catches_drift() {
    let (_dir, engine) = fixture_engine();
    let (_, doc) = get(&engine, "/api/openapi.json", &[]).await;
    let (_, mut body) = get(&engine, "/api/search", &[("q", "建议")]).await;
    let schema = &doc["paths"]["/api/search"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut errors = Vec::new();
    conforms(&doc, schema, &body, "ok", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    body["surprise"] = json!(1);
    body.as_object_mut().map(|m| m.remove("total"));
    body["took_ms"] = json!("fast");
    body["hits"][0]["region"]["planet"] = json!("mars");
    conforms(&doc, schema, &body, "drifted", &mut errors);
    let joined = errors.join("\n");
    for expected in [
        "drifted.surprise",
        "drifted.total",
        "drifted.took_ms",
        "drifted.hits[0].region.planet",
    ] {
        assert!(
            joined.contains(expected),
            "{expected} not caught in:\n{joined}"
        );
    }
}
