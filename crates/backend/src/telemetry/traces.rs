//! Traces with OpenTelemetry, off unless an OTLP endpoint is configured
//! (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; the SDK's other
//! `OTEL_*` settings apply too). Each request's span is the trace's server span, continuing the
//! `traceparent` the partner's proxy sent (W3C Trace Context); each call to Solaris is a client
//! span under it, and carries the trace on to Solaris in its own `traceparent`. Spans are
//! exported over OTLP/HTTP (protobuf) in batches, through this process's own HTTP client.

use std::time::Duration;

use opentelemetry::global;
use opentelemetry_http::{
    Bytes, HeaderExtractor, HeaderInjector, HttpClient, HttpError, Request, Response,
};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The service's name in the traces.
const SERVICE_NAME: &str = "bankident-backend";
/// Time limit of one export.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether an OTLP endpoint is configured in the environment.
pub fn configured() -> bool {
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ]
    .iter()
    .any(|name| std::env::var(name).is_ok_and(|value| !value.trim().is_empty()))
}

/// The tracer provider exporting to the configured endpoint (`None` without one), installed as
/// the process's, with W3C Trace Context as its propagator. Call within the tokio runtime: the
/// exports run on it.
pub fn install() -> Result<Option<SdkTracerProvider>, String> {
    if !configured() {
        return Ok(None);
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_timeout(EXPORT_TIMEOUT)
        .with_http_client(OtlpClient::new())
        .build()
        .map_err(|error| format!("the OTLP trace exporter cannot be set up: {error}"))?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name(SERVICE_NAME).build())
        .build();
    global::set_text_map_propagator(TraceContextPropagator::new());
    global::set_tracer_provider(provider.clone());
    Ok(Some(provider))
}

/// Makes `span` continue the trace the request's `traceparent` names, if any (and tracing is
/// on).
pub fn continue_trace(span: &tracing::Span, headers: &axum::http::HeaderMap) {
    let parent =
        global::get_text_map_propagator(|propagator| propagator.extract(&HeaderExtractor(headers)));
    let _ = span.set_parent(parent);
}

/// The `traceparent` (and `tracestate`) that carries `span`'s trace on to another service.
pub fn trace_headers(span: &tracing::Span) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    global::get_text_map_propagator(|propagator| {
        propagator.inject_context(&span.context(), &mut HeaderInjector(&mut headers));
    });
    headers
}

/// The exporter's HTTP client: this process's reqwest, its requests run on the tokio runtime
/// (the SDK's batch processor exports from a thread of its own).
#[derive(Debug)]
struct OtlpClient {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

impl OtlpClient {
    fn new() -> OtlpClient {
        OtlpClient {
            client: reqwest::Client::builder()
                .timeout(EXPORT_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the HTTP client's TLS setup is static"),
            runtime: tokio::runtime::Handle::current(),
        }
    }
}

#[async_trait::async_trait]
impl HttpClient for OtlpClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        let sent = self.runtime.spawn(async move {
            let (parts, body) = request.into_parts();
            let response = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let mut answer = Response::new(body);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok::<_, reqwest::Error>(answer)
        });
        Ok(sent.await??)
    }
}
