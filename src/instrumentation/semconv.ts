// The semantic-convention attribute names the instrumentations write: our own constants, so no
// bundle carries the semconv package. Stable names where a stable one exists.
// https://opentelemetry.io/docs/specs/semconv/

/** https://opentelemetry.io/docs/specs/semconv/http/http-spans/ */
export const HTTP_REQUEST_METHOD = "http.request.method";
/** The method as sent, when http.request.method is _OTHER. */
export const HTTP_REQUEST_METHOD_ORIGINAL = "http.request.method_original";
/** The HTTP status code of the response. */
export const HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
/** The matched route template; the server span's name follows it. */
export const HTTP_ROUTE = "http.route";
/** Absolute URL, credentials and sensitive query values redacted. https://opentelemetry.io/docs/specs/semconv/registry/attributes/url/ */
export const URL_FULL = "url.full";
/** The URL scheme, e.g. https. */
export const URL_SCHEME = "url.scheme";
/** The URL path. */
export const URL_PATH = "url.path";
/** The query string without "?", sensitive values redacted. */
export const URL_QUERY = "url.query";
/** The host the request was sent to. */
export const SERVER_ADDRESS = "server.address";
/** The port the request was sent to. */
export const SERVER_PORT = "server.port";
/** The User-Agent header. */
export const USER_AGENT_ORIGINAL = "user_agent.original";
/** The client's address. */
export const CLIENT_ADDRESS = "client.address";
/** The class of error an operation ended with. */
export const ERROR_TYPE = "error.type";

/** https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/ */
export const FAAS_TRIGGER = "faas.trigger";
/** True for the first invocation of an isolate. */
export const FAAS_COLDSTART = "faas.coldstart";
/** The invocation's id (Cloudflare: the cf-ray header). */
export const FAAS_INVOCATION_ID = "faas.invocation_id";
/** The cron expression of a timer trigger. */
export const FAAS_CRON = "faas.cron";
/** When a timer trigger was scheduled (ISO 8601). */
export const FAAS_TIME = "faas.time";

/** https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/ */
export const MESSAGING_SYSTEM = "messaging.system";
/** send, receive, process, … */
export const MESSAGING_OPERATION_TYPE = "messaging.operation.type";
/** The queue or topic. */
export const MESSAGING_DESTINATION_NAME = "messaging.destination.name";
/** Messages in a batch. */
export const MESSAGING_BATCH_MESSAGE_COUNT = "messaging.batch.message_count";

/** https://opentelemetry.io/docs/specs/semconv/database/database-spans/ */
export const DB_SYSTEM_NAME = "db.system.name";
/** The operation, e.g. get or put. */
export const DB_OPERATION_NAME = "db.operation.name";
/** The database, bucket or namespace. */
export const DB_NAMESPACE = "db.namespace";
/** The (parameterized) query. */
export const DB_QUERY_TEXT = "db.query.text";

/** https://opentelemetry.io/docs/specs/semconv/rpc/rpc-spans/ */
export const RPC_SYSTEM = "rpc.system";
/** The service (class or binding) called. */
export const RPC_SERVICE = "rpc.service";
/** The method called. */
export const RPC_METHOD = "rpc.method";
